import { diffWords } from 'diff';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type DocParagraph } from './api';
import { authHeader, type Session } from './session';

interface Item {
  id: string;
  trackingNumber: string;
  kind: string;
  status: string;
  body: string;
  proposedText: string | null;
  redacted?: boolean;
  author: { name: string; organisation: string; group: string };
  replies: Item[];
}

/** A paragraph's thread, and the form to comment or propose new wording (with the word diff shown while typing). */
export function Thread({ paragraph, session, onClose, refresh }: { paragraph: DocParagraph; session: Session | null; onClose: () => void; refresh: number }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Item[] | null>(null);
  const [kind, setKind] = useState<'comment' | 'amendment'>('comment');
  const [proposed, setProposed] = useState(paragraph.text);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<string | null>(null);
  const load = () => api<{ items: Item[] }>(`/api/paragraphs/${paragraph.id}/contributions`, { headers: authHeader(session) }).then((r) => setItems(r.items));
  useEffect(() => {
    void load().catch(() => setItems([]));
  }, [paragraph.id, refresh]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const body = String(new FormData(e.currentTarget).get('body') ?? '');
    try {
      const c = await api<{ trackingNumber: string; submittedAt: string }>(`/api/paragraphs/${paragraph.id}/contributions`, {
        method: 'POST',
        headers: { ...authHeader(session), 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify(kind === 'amendment' ? { kind, body, proposedText: proposed } : { kind, body }),
      });
      setReceipt(t('receipt', { tracking: c.trackingNumber, at: new Date(c.submittedAt).toLocaleString() }));
      e.currentTarget?.reset();
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('unreachable'));
    }
  }

  return (
    <section className="panel" aria-labelledby={`thread-${paragraph.id}`}>
      <h3 id={`thread-${paragraph.id}`}>{t('thread', { label: paragraph.label })}</h3>
      {!items ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : !items.length ? (
        <p className="empty">{t('noContributions')}</p>
      ) : (
        <ul className="thread">
          {items.map((c) => (
            <li key={c.id}>
              <p className="meta">
                {c.author.name} ({c.author.organisation}) · {c.trackingNumber}
                {c.status !== 'published' && (
                  <span className="tag" data-testid="status">
                    {t(`statuses.${c.status}`)}
                  </span>
                )}
              </p>
              <p>{c.body}</p>
              {c.proposedText && <p className="proposed">{c.proposedText}</p>}
            </li>
          ))}
        </ul>
      )}
      {receipt && (
        <p role="status" className="receipt" data-testid="receipt">
          {receipt}
        </p>
      )}
      {session ? (
        <form onSubmit={submit}>
          <label>
            {t('kind')}{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as 'comment' | 'amendment')}>
              <option value="comment">{t('kinds.comment')}</option>
              <option value="amendment">{t('kinds.amendment')}</option>
            </select>
          </label>
          {kind === 'amendment' && (
            <>
              <label>
                {t('proposedText')} <textarea value={proposed} onChange={(e) => setProposed(e.target.value)} rows={4} />
              </label>
              <p className="diff" aria-label={t('changes')}>
                {diffWords(paragraph.text, proposed).map((part, i) =>
                  part.added ? <ins key={i}>{part.value}</ins> : part.removed ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>,
                )}
              </p>
            </>
          )}
          <label>
            {t('yourComment')} <textarea name="body" rows={3} required maxLength={10000} />
          </label>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit">{t('submit')}</button>{' '}
          <button type="button" className="link" onClick={onClose}>
            {t('close')}
          </button>
        </form>
      ) : (
        <p>{t('signInToComment')}</p>
      )}
    </section>
  );
}
