import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Consultation, type DocumentView, type Round } from './api';
import { DispositionEditor, type ParagraphOption } from './Dispositions';
import { currentRound } from './Reader';
import type { Session } from './session';
import { DownloadLink, ErrorNote, Loading, useLoad } from './ui';

interface Row {
  contributionId: string;
  documentId: string;
  resultingParagraphId: string | null;
  trackingNumber: string;
  submitter: string;
  organisation: string;
  group: string;
  country: string;
  paragraph: string;
  version: number;
  kind: string;
  comment: string;
  proposedChange: string | null;
  status: string;
  disposition: string | null;
  response: string | null;
  resultingParagraph: string | null;
}

const PAGE = 50;

/** The comment-resolution matrix, each row answerable in place; the CSV for Excel. */
export function Matrix({ consultation, session }: { consultation: Consultation; session: Session | null }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [unanswered, setUnanswered] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const matrix = useLoad(
    () => api<{ rows: Row[] }>(`/api/consultations/${consultation.id}/matrix`).then((r) => r.rows),
    [consultation.id],
  );
  const later = useLoad(async () => {
    const round = currentRound(await api<Round[]>(`/api/consultations/${consultation.id}/rounds`));
    if (!round) return null;
    return api<DocumentView>(`/api/documents/${round.documentId}`);
  }, [consultation.id]);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (matrix.data ?? []).filter(
      (r) =>
        (!unanswered || !r.disposition) &&
        (!needle ||
          [r.trackingNumber, r.submitter, r.organisation, r.comment, r.proposedChange ?? '', r.paragraph].some((x) =>
            x.toLowerCase().includes(needle),
          )),
    );
  }, [matrix.data, q, unanswered]);
  // The current version's paragraphs, listed once; a row may point at them when they are later than its own version.
  const current = useMemo<ParagraphOption[]>(() => {
    const d = later.data;
    return d
      ? d.sections.flatMap((s) => s.paragraphs.map((p) => ({ id: p.id, label: p.label, version: d.version })))
      : [];
  }, [later.data]);
  const laterFor = (r: Row): ParagraphOption[] =>
    later.data && later.data.id === r.documentId && later.data.version > r.version ? current : [];

  if (matrix.error) return <ErrorNote error={matrix.error} />;
  if (!matrix.data) return <Loading />;
  const answered = matrix.data.filter((r) => r.disposition).length;
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">{t('nav.matrix')}</h2>
      <p data-testid="matrix-progress">
        {t('answeredOf', { answered, total: matrix.data.length })}{' '}
        <progress
          max={Math.max(1, matrix.data.length)}
          value={answered}
          aria-label={t('answeredOf', { answered, total: matrix.data.length })}
        />
      </p>
      <div className="toolbar">
        <label className="inline grow">
          {t('search')} <input type="search" value={q} onChange={(e) => (setQ(e.target.value), setShown(PAGE))} />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={unanswered}
            onChange={(e) => (setUnanswered(e.target.checked), setShown(PAGE))}
          />{' '}
          {t('unansweredOnly')}
        </label>
        <DownloadLink href={`/api/consultations/${consultation.id}/matrix?format=csv`} signedIn={!!session}>
          {t('downloadCsv')}
        </DownloadLink>
      </div>
      {!rows.length ? (
        <p className="empty">{matrix.data.length ? t('noMatch') : t('matrixEmpty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="matrix">
            <caption className="sr-only">{t('nav.matrix')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.id')}</th>
                <th scope="col">{t('col.paragraph')}</th>
                <th scope="col">{t('col.submitter')}</th>
                <th scope="col">{t('col.contribution')}</th>
                <th scope="col">{t('col.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, shown).map((r) => (
                <tr key={r.contributionId} data-testid="matrix-row" data-tracking={r.trackingNumber}>
                  <th scope="row">
                    {r.trackingNumber}
                    <br />
                    <span className="tag">{t(`statuses.${r.status}`)}</span>
                  </th>
                  <td>
                    {r.paragraph === 'general' ? t('wholeDocument') : `¶${r.paragraph}`} (v{r.version})
                  </td>
                  <td>
                    {r.submitter}
                    <br />
                    <span className="meta">
                      {r.organisation} · {t(`groups.${r.group}`)} · {r.country}
                    </span>
                  </td>
                  <td>
                    {r.comment}
                    {r.proposedChange && <p className="proposed">{r.proposedChange}</p>}
                  </td>
                  <td>
                    <DispositionEditor
                      compact
                      path={`/api/contributions/${r.contributionId}/disposition`}
                      value={r.disposition}
                      response={r.response}
                      resultingParagraphId={r.resultingParagraphId}
                      laterParagraphs={laterFor(r)}
                      onSaved={matrix.reload}
                    />
                    {r.resultingParagraph && <p className="meta">{t('carriedBy', { label: r.resultingParagraph })}</p>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          {t('showMore', { count: rows.length - shown })}
        </button>
      )}
    </section>
  );
}
