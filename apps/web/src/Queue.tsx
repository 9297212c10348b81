import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveClient } from '@plenary/realtime/client';
import { api, post, REASONS, type Consultation, type Contribution } from './api';
import { getSession, type Session } from './session';
import { ErrorNote, Loading, useAction, WordDiff } from './ui';

type Counts = { pending: number; flagged: number; urgent: number };
type Action = 'approve' | 'reject' | 'hide';
interface BulkResult {
  contributionId: string;
  ok: boolean;
  error?: { message: string };
}

/**
 * The moderation queue, filling live. Keyboard: on a focused item, A approves, R rejects and H hides with the reason
 * chosen above; X selects it. Selected items can be decided together (up to 500 at once).
 */
export function Queue({ consultation, session }: { consultation: Consultation; session: Session | null }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Contribution[] | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [filter, setFilter] = useState('');
  const [reason, setReason] = useState('other');
  const [note, setNote] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const action = useAction();
  const id = consultation.id;

  const load = () =>
    api<{ items: Contribution[]; counts: Counts }>(
      `/api/consultations/${id}/moderation/queue?limit=200${filter ? `&flagged=${filter}` : ''}`,
    ).then((r) => {
      setItems(r.items);
      setCounts(r.counts);
      setLoadError(null);
      setSelected((s) => new Set([...s].filter((x) => r.items.some((i) => i.id === x))));
    }, setLoadError);
  useEffect(() => {
    void load();
    if (!session) return;
    const live = new LiveClient({ url: location.origin, token: () => getSession()?.accessToken });
    const w = live.watch(id, { onEvent: (e) => e.type.startsWith('contribution.') && void load() });
    return () => (w.stop(), live.close());
  }, [id, session?.user.id, filter]);

  const body = (a: Action) => ({
    action: a,
    reason: a === 'approve' ? 'other' : reason,
    ...(note.trim() ? { note: note.trim() } : {}),
  });
  const decide = (cid: string, a: Action) =>
    action.run(async () => {
      await post(`/api/contributions/${cid}/decisions`, body(a));
      setOutcome(t('decided', { count: 1, action: t(`actions.${a}`) }));
      await load();
    });
  const decideSelected = (a: Action) =>
    action.run(async () => {
      const ids = [...selected];
      const r = await post<{ results: BulkResult[] }>(`/api/consultations/${id}/decisions`, {
        ...body(a),
        contributionIds: ids,
      });
      const failed = r.results.filter((x) => !x.ok);
      setOutcome(
        t('decided', { count: ids.length - failed.length, action: t(`actions.${a}`) }) +
          (failed.length ? ' ' + t('notDecided', { count: failed.length, why: failed[0].error?.message ?? '' }) : ''),
      );
      setSelected(new Set());
      await load();
    });
  const toggle = (cid: string) => setSelected((s) => (s.has(cid) ? (s.delete(cid), new Set(s)) : new Set(s.add(cid))));
  const keys = (cid: string) => (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const k = e.key.toLowerCase();
    if (k === 'x') return (e.preventDefault(), toggle(cid));
    const a = ({ a: 'approve', r: 'reject', h: 'hide' } as const)[k as 'a' | 'r' | 'h'];
    if (a) (e.preventDefault(), void decide(cid, a));
  };

  if (!session) return <p>{t('signInToModerate')}</p>;
  const all = items ?? [];
  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">{t('queue')}</h2>
      <ErrorNote error={loadError ?? action.error} />
      {counts && <p data-testid="queue-counts">{t('queueCounts', counts)}</p>}
      <div className="toolbar">
        <label className="inline">
          {t('show')}{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value)}>
            <option value="">{t('queueFilters.all')}</option>
            <option value="true">{t('queueFilters.flagged')}</option>
            <option value="urgent">{t('queueFilters.urgent')}</option>
            <option value="false">{t('queueFilters.unflagged')}</option>
          </select>
        </label>
        <label className="inline">
          {t('reason')}{' '}
          <select value={reason} onChange={(e) => setReason(e.target.value)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`reasons.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline grow">
          {t('noteForAuthor')} <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
      </div>
      <p className="meta">{t('shortcuts')}</p>
      {outcome && (
        <p role="status" className="receipt" data-testid="outcome">
          {outcome}
        </p>
      )}
      {!items && !loadError && <Loading />}
      {items && !items.length && <p className="empty">{t('queueEmpty')}</p>}
      {all.length > 0 && (
        <div className="toolbar bulk" role="group" aria-label={t('bulkLabel')}>
          <label className="inline">
            <input
              type="checkbox"
              checked={selected.size === all.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(all.map((c) => c.id)) : new Set())}
            />{' '}
            {t('selectAll')}
          </label>
          <span data-testid="selected-count">{t('selectedCount', { count: selected.size })}</span>
          {(['approve', 'reject', 'hide'] as const).map((a) => (
            <button
              key={a}
              type="button"
              disabled={!selected.size || action.busy}
              onClick={() => void decideSelected(a)}
            >
              {t(`bulk.${a}`)}
            </button>
          ))}
        </div>
      )}
      <ul className="thread queue">
        {all.map((c) => (
          <li
            key={c.id}
            tabIndex={0}
            onKeyDown={keys(c.id)}
            data-testid="queue-item"
            aria-label={`${c.trackingNumber}: ${c.body.slice(0, 140)}`}
            className={c.review === 'urgent' ? 'urgent' : undefined}
          >
            <label className="inline select">
              <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} />{' '}
              <span className="sr-only">{t('select', { tracking: c.trackingNumber })}</span>
            </label>
            <p className="meta">
              <strong>{c.trackingNumber}</strong> · ¶{c.paragraphLabel ?? t('wholeDocument')} · {c.author.name} (
              {c.author.organisation}, {t(`groups.${c.author.group}`)}) ·{' '}
              <span className="tag">{t(`statuses.${c.status}`)}</span>
              {c.review && <span className={`tag ${c.review}`}>{t(`review.${c.review}`)}</span>}
            </p>
            {c.flags && Object.keys(c.flags).length > 0 && (
              <p className="meta" data-testid="flags">
                {t('flagsLabel')}:{' '}
                {Object.entries(c.flags)
                  .map(([r, n]) => `${t(`flagReasons.${r}`)} × ${n}`)
                  .join(', ')}
              </p>
            )}
            <p className="body">{c.body}</p>
            {c.diff && <WordDiff ops={c.diff} label={t('proposedChanges')} />}
            {c.status === 'pending' || c.status === 'hidden' || c.review ? (
              <button type="button" onClick={() => void decide(c.id, 'approve')} disabled={action.busy}>
                {t('approve')}
              </button>
            ) : null}{' '}
            {c.status === 'pending' && (
              <button type="button" onClick={() => void decide(c.id, 'reject')} disabled={action.busy}>
                {t('reject')}
              </button>
            )}{' '}
            {c.status === 'published' && (
              <button type="button" onClick={() => void decide(c.id, 'hide')} disabled={action.busy}>
                {t('hide')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
