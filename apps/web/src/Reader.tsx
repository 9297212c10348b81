import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveClient, type LiveEvent, type Presence } from '@plenary/realtime/client';
import { api, type Consultation, type DocumentView, type Round } from './api';
import { getSession, type Session } from './session';
import { Emphasis } from './text';
import { Thread, type ThreadTarget } from './Thread';
import { ErrorNote, formatDate, Loading, useLoad } from './ui';

/** The round that takes comments now, or else the latest one. */
export const currentRound = (rounds: Round[]): Round | null =>
  rounds.find((x) => x.state === 'open') ?? rounds[rounds.length - 1] ?? null;

/**
 * The document: paragraphs with their numbers and counts, a version switcher, general comments, and threads.
 * Live: counts and an "n new" notice follow published contributions without reloading; presence is shown.
 */
export function Reader({
  consultation,
  session,
  version,
}: {
  consultation: Consultation;
  session: Session | null;
  version: number | null;
}) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [fresh, setFresh] = useState(0);
  const [presence, setPresence] = useState<Presence | null>(null);
  const [live, setLive] = useState<Record<string, number>>({});
  const [versionPublished, setVersionPublished] = useState(0);
  // Where the event stream stands before the document is read: its counts include everything up to here, so the
  // live view starts after it (an event between the two reads may be counted twice, never missed).
  const head = useLoad(
    () => api<{ head: number }>(`/api/consultations/${consultation.id}/events?after=0&limit=1`).then((r) => r.head),
    [consultation.id],
  );
  const rounds = useLoad(
    () => api<Round[]>(`/api/consultations/${consultation.id}/rounds`),
    [consultation.id, versionPublished],
  );
  const round = rounds.data ? currentRound(rounds.data) : null;
  const doc = useLoad(
    async () =>
      round && head.data !== null
        ? api<DocumentView>(
            version ? `/api/documents/${round.documentId}/versions/${version}` : `/api/documents/${round.documentId}`,
          )
        : null,
    [round?.documentId, version, versionPublished, head.data !== null],
  );

  useEffect(() => {
    if (head.data === null) return;
    // The token is asked at every (re)connection, so a refreshed one is used; the client catches up by itself.
    const client = new LiveClient({ url: location.origin, token: () => getSession()?.accessToken });
    const watch = client.watch(consultation.id, {
      after: head.data,
      onEvent: (e: LiveEvent) => {
        if (e.type.startsWith('contribution.')) setRefresh((n) => n + 1);
        if (e.type === 'version.published' || e.type.startsWith('round.')) setVersionPublished((n) => n + 1);
        if (e.type !== 'contribution.published') return;
        const key = (e.data.lineageKey as string | null) ?? '';
        setLive((m) => ({ ...m, [key]: (m[key] ?? 0) + 1 }));
        setFresh((n) => n + 1);
      },
      onPresence: setPresence,
    });
    return () => {
      watch.stop();
      client.close();
    };
  }, [consultation.id, session?.user.id, head.data]);

  // Counts from the server include what arrived live until then.
  useEffect(() => setLive({}), [doc.data]);

  const paragraphs = useMemo(
    () =>
      doc.data?.sections.flatMap((s) => s.paragraphs.map((p, i) => ({ ...p, heading: i === 0 ? s.heading : null }))) ??
      [],
    [doc.data],
  );
  const d = doc.data;
  const canContribute = !!round && round.state === 'open' && !!d && d.version === round.version;
  const toggle = (id: string) => setOpen(open === id ? null : id);
  const choose = (n: number) => (location.hash = `#/c/${consultation.id}${n === d?.currentVersion ? '' : `?v=${n}`}`);

  return (
    <>
      <p className="meta">
        {rounds.data &&
          (round
            ? t('roundState', {
                name: round.name,
                state: t(`roundStates.${round.state}`),
                closes: formatDate(round.closesAt, i18n.language),
              })
            : t('noRound'))}{' '}
        {presence && <span data-testid="presence">{t('watching', { count: presence.total })}</span>}
      </p>
      {fresh > 0 && (
        <p role="status" className="new" data-testid="new-count">
          {t('newContributions', { count: fresh })}{' '}
          <button type="button" className="link" onClick={() => setFresh(0)}>
            {t('dismiss')}
          </button>
        </p>
      )}
      <ErrorNote error={head.error ?? rounds.error ?? doc.error} />
      {!rounds.data || (round && !d && !doc.error) ? (
        <Loading />
      ) : !d ? (
        <p className="empty">{t('draftNotPublished')}</p>
      ) : (
        <>
          <div className="doc-head">
            <h2>
              {d.title} <span className="tag">{d.versionName}</span>
            </h2>
            {d.versions.length > 1 && (
              <div className="versions">
                <label>
                  {t('version')}{' '}
                  <select value={d.version} onChange={(e) => choose(Number(e.target.value))}>
                    {d.versions.map((v) => (
                      <option key={v.number} value={v.number}>
                        {v.name} ({formatDate(v.publishedAt, i18n.language)})
                      </option>
                    ))}
                  </select>
                </label>
                <a
                  href={`#/c/${consultation.id}/diff?from=${Math.max(1, d.version - 1)}&to=${d.version === 1 ? 2 : d.version}`}
                >
                  {t('compareVersions')}
                </a>
              </div>
            )}
          </div>
          {(d.version !== d.currentVersion || (round?.state === 'open' && round.version !== d.version)) && (
            <p className="new">
              {d.version !== d.currentVersion && t('olderVersion', { name: d.versionName })}{' '}
              {round?.state === 'open' && round.version !== d.version && (
                <a href={`#/c/${consultation.id}${round.version === d.currentVersion ? '' : `?v=${round.version}`}`}>
                  {t('commentsOn', {
                    round: round.name,
                    name: d.versions.find((v) => v.number === round.version)?.name ?? round.version,
                  })}
                </a>
              )}
            </p>
          )}
          <p>
            <button type="button" className="link" aria-expanded={open === d.id} onClick={() => toggle(d.id)}>
              {t('generalComments', { count: d.generalCounts.published })}
            </button>
          </p>
          {open === d.id && (
            <Thread
              target={{ type: 'document', id: d.id }}
              session={session}
              refresh={refresh}
              canContribute={canContribute}
              onClose={() => setOpen(null)}
            />
          )}
          {!paragraphs.length && <p className="empty">{t('noParagraphs')}</p>}
          <ol className="paragraphs">
            {paragraphs.map((p) => {
              const published = p.counts.published + (live[p.lineageKey] ?? 0);
              const target: ThreadTarget = { type: 'paragraph', id: p.id, label: p.label, text: p.text };
              return (
                <li key={p.id} id={`p-${p.label}`} data-label={p.label}>
                  {p.heading && <h3 className="section">{p.heading}</h3>}
                  <span className="label">{p.label}</span>
                  <div className="text">
                    <p className={p.kind === 'preamble' ? 'preamble' : undefined}>
                      <Emphasis text={p.text} />
                    </p>
                    {p.footnotes.length > 0 && (
                      <ol className="footnotes" aria-label={t('footnotes')}>
                        {p.footnotes.map((f) => (
                          <li key={f.marker} value={Number(f.marker) || undefined}>
                            <Emphasis text={f.text} />
                          </li>
                        ))}
                      </ol>
                    )}
                  </div>
                  <span
                    className="counts"
                    title={t('countsTitle', { published, amendments: p.counts.amendments })}
                    aria-label={t('countsTitle', { published, amendments: p.counts.amendments })}
                    data-testid={`count-${p.label}`}
                  >
                    {published}
                  </span>
                  <button type="button" className="link" aria-expanded={open === p.id} onClick={() => toggle(p.id)}>
                    {canContribute ? t('comment') : t('read')}{' '}
                    <span className="sr-only">{t('onParagraph', { label: p.label })}</span>
                    <span aria-hidden="true"> {p.label}</span>
                  </button>
                  {open === p.id && (
                    <Thread
                      target={target}
                      session={session}
                      refresh={refresh}
                      canContribute={canContribute}
                      onClose={() => setOpen(null)}
                    />
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </>
  );
}
