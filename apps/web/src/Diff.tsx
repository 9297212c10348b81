import { useTranslation } from 'react-i18next';
import { api, type Consultation, type DocumentView, type Round } from './api';
import type { Session } from './session';
import { currentRound } from './Reader';
import { DownloadLink, ErrorNote, Loading, useLoad, WordDiff } from './ui';

interface DiffView {
  summary: Record<string, number>;
  paragraphs: {
    status: string;
    lineageKey: string;
    from: { id: string; label: string } | null;
    to: { id: string; label: string } | null;
    ops?: { op: 'insert' | 'delete' | 'equal'; text: string }[];
    alsoRenumbered?: boolean;
    alsoMoved?: boolean;
  }[];
}

/** Two versions side by side in one column: every paragraph with its status and word changes; the Word file with tracked changes. */
export function Diff({
  consultation,
  session,
  from,
  to,
}: {
  consultation: Consultation;
  session: Session | null;
  from: number;
  to: number;
}) {
  const { t } = useTranslation();
  const data = useLoad(async () => {
    const rounds = await api<Round[]>(`/api/consultations/${consultation.id}/rounds`);
    const round = currentRound(rounds);
    if (!round) return null;
    const doc = await api<DocumentView>(`/api/documents/${round.documentId}`);
    if (doc.versions.length < 2) return { doc, diff: null, texts: new Map<string, string>() };
    const [diff, a, b] = await Promise.all([
      api<DiffView>(`/api/documents/${doc.id}/diff?from=${from}&to=${to}`),
      api<DocumentView>(`/api/documents/${doc.id}/versions/${from}`),
      api<DocumentView>(`/api/documents/${doc.id}/versions/${to}`),
    ]);
    const texts = new Map(
      [a, b].flatMap((v) => v.sections.flatMap((s) => s.paragraphs.map((p) => [p.id, p.text] as [string, string]))),
    );
    return { doc, diff, texts };
  }, [consultation.id, from, to]);
  const go = (f: number, x: number) => (location.hash = `#/c/${consultation.id}/diff?from=${f}&to=${x}`);

  if (data.error) return <ErrorNote error={data.error} />;
  if (!data.data) return <Loading />;
  const { doc, diff, texts } = data.data;
  if (!diff) return <p className="empty">{t('oneVersionOnly')}</p>;
  const select = (value: number, onChange: (n: number) => void, label: string) => (
    <label className="inline">
      {label}{' '}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {doc.versions.map((v) => (
          <option key={v.number} value={v.number}>
            {v.name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">{t('compareVersions')}</h2>
      <div className="toolbar">
        {select(from, (n) => go(n, to), t('from'))} {select(to, (n) => go(from, n), t('to'))}{' '}
        <DownloadLink href={`/api/documents/${doc.id}/diff?from=${from}&to=${to}&format=docx`} signedIn={!!session}>
          {t('trackedChanges')}
        </DownloadLink>
      </div>
      <p data-testid="diff-summary">
        {Object.entries(diff.summary)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${t(`diffStatus.${k}`)}: ${n}`)
          .join(' · ') || t('noChanges')}
      </p>
      <ol className="paragraphs diff-list">
        {diff.paragraphs.map((p) => {
          const label =
            p.from && p.to && p.from.label !== p.to.label ? `${p.from.label} → ${p.to.label}` : (p.to ?? p.from)!.label;
          const text = texts.get((p.to ?? p.from)!.id) ?? '';
          return (
            <li key={p.lineageKey} className={`st-${p.status}`} data-status={p.status}>
              <span className="label">{label}</span>
              {p.status === 'changed' && p.ops ? (
                <WordDiff ops={p.ops} />
              ) : p.status === 'new' ? (
                <p className="diff">
                  <ins>{text}</ins>
                </p>
              ) : p.status === 'deleted' ? (
                <p className="diff">
                  <del>{text}</del>
                </p>
              ) : (
                <p>{text}</p>
              )}
              <span className="tag">{t(`diffStatus.${p.status}`)}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
