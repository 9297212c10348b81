import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveClient } from '@plenary/realtime/client';
import { api, ApiError } from './api';
import { authHeader, type Session } from './session';

interface QueueItem {
  id: string;
  trackingNumber: string;
  kind: string;
  body: string;
  proposedText: string | null;
  paragraphLabel: string | null;
  review?: string | null;
  author: { name: string; organisation: string; group: string };
}

const REASONS = ['off_topic', 'abusive', 'spam', 'duplicate', 'personal_data', 'other'];

/**
 * The moderation queue, filling live. Keyboard: on a focused item, A approves, R rejects and H hides with the reason
 * chosen in the list above.
 */
export function Queue({ consultationId, session }: { consultationId: string; session: Session | null }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [counts, setCounts] = useState<{ pending: number; flagged: number; urgent: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('other');
  const load = () =>
    api<{ items: QueueItem[]; counts: { pending: number; flagged: number; urgent: number } }>(`/api/consultations/${consultationId}/moderation/queue`, { headers: authHeader(session) }).then(
      (r) => (setItems(r.items), setCounts(r.counts), setError(null)),
      (e) => setError(e instanceof ApiError ? e.message : t('unreachable')),
    );
  useEffect(() => {
    void load();
    if (!session) return;
    const live = new LiveClient({ url: location.origin, token: () => session.accessToken });
    const w = live.watch(consultationId, { onEvent: (e) => e.type.startsWith('contribution.') && void load() });
    return () => (w.stop(), live.close());
  }, [consultationId, session?.accessToken]);

  async function decide(id: string, action: 'approve' | 'reject' | 'hide') {
    try {
      await api(`/api/contributions/${id}/decisions`, { method: 'POST', headers: authHeader(session), body: JSON.stringify({ action, reason: action === 'approve' ? 'other' : reason }) });
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('unreachable'));
    }
  }
  const keys = (id: string) => (e: KeyboardEvent) => {
    const action = ({ a: 'approve', r: 'reject', h: 'hide' } as const)[e.key.toLowerCase() as 'a' | 'r' | 'h'];
    if (action) (e.preventDefault(), void decide(id, action));
  };

  if (!session) return <p>{t('signInToModerate')}</p>;
  return (
    <section aria-labelledby="queue-title">
      <p>
        <a href={`#/c/${consultationId}`}>{t('backToDocument')}</a>
      </p>
      <h1 id="queue-title">{t('queue')}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {counts && <p data-testid="queue-counts">{t('queueCounts', counts)}</p>}
      <label>
        {t('reason')}{' '}
        <select value={reason} onChange={(e) => setReason(e.target.value)}>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`reasons.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="meta">{t('shortcuts')}</p>
      {items && !items.length && <p className="empty">{t('queueEmpty')}</p>}
      <ul className="thread">
        {items?.map((c) => (
          <li key={c.id} tabIndex={0} onKeyDown={keys(c.id)} data-testid="queue-item" aria-label={`${c.trackingNumber}: ${c.body}`}>
            <p className="meta">
              {c.trackingNumber} · ¶{c.paragraphLabel ?? '–'} · {c.author.name} ({c.author.organisation}){c.review ? ` · ${c.review}` : ''}
            </p>
            <p>{c.body}</p>
            {c.proposedText && <p className="proposed">{c.proposedText}</p>}
            <button type="button" onClick={() => void decide(c.id, 'approve')}>
              {t('approve')}
            </button>{' '}
            <button type="button" onClick={() => void decide(c.id, 'reject')}>
              {t('reject')}
            </button>{' '}
            <button type="button" onClick={() => void decide(c.id, 'hide')}>
              {t('hide')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
