import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, FLAG_REASONS, post, type Contribution } from './api';
import type { Session } from './session';
import { ErrorNote, formatDate, Loading, useAction, useLoad, WordDiff, wordOps } from './ui';

/** Where a thread hangs: one paragraph, or the whole document (general comments). */
export type ThreadTarget =
  { type: 'paragraph'; id: string; label: string; text: string } | { type: 'document'; id: string };

/** Top-level contributions per page of a thread. */
const PAGE = 50;

const path = (target: ThreadTarget) =>
  target.type === 'paragraph'
    ? `/api/paragraphs/${target.id}/contributions`
    : `/api/documents/${target.id}/contributions`;

/**
 * A thread: contributions with their replies, endorsements and flags, and the form to comment or propose new
 * wording (the word diff shown while typing). `canContribute` is false outside an open round on this version.
 */
export function Thread({
  target,
  session,
  refresh,
  canContribute,
  onClose,
}: {
  target: ThreadTarget;
  session: Session | null;
  refresh: number;
  canContribute: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  // The first pages, as many as were shown before a reload (a live update must not fold a long thread back).
  const [pages, setPages] = useState(1);
  const { data, error, reload } = useLoad(async () => {
    const items: Contribution[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < pages; i++) {
      const r: { items: Contribution[]; nextCursor: string | null } = await api(
        `${path(target)}?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      items.push(...r.items);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    return { items, more: !!cursor };
  }, [target.id, refresh, session?.user.id, pages]);
  const [receipt, setReceipt] = useState<{ tracking: string; at: string; status: string } | null>(null);
  const title = target.type === 'paragraph' ? t('thread', { label: target.label }) : t('generalThread');
  const headingId = `thread-${target.id}`;

  const submitted = async (c: Contribution) => {
    setReceipt({ tracking: c.trackingNumber, at: formatDate(c.submittedAt, i18n.language), status: c.status });
    await reload();
  };

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <ErrorNote error={error} />
      {!data ? (
        !error && <Loading />
      ) : !data.items.length ? (
        <p className="empty">{target.type === 'paragraph' ? t('noContributions') : t('noGeneral')}</p>
      ) : (
        <ul className="thread">
          {data.items.map((c) => (
            <Item
              key={c.id}
              c={c}
              session={session}
              canContribute={canContribute}
              target={target}
              onChanged={reload}
              onSubmitted={submitted}
            />
          ))}
        </ul>
      )}
      {data?.more && (
        <button type="button" className="small" onClick={() => setPages(pages + 1)}>
          {t('showMoreContributions')}
        </button>
      )}
      {receipt && (
        <p role="status" className="receipt" data-testid="receipt">
          {t('receipt', { tracking: receipt.tracking, at: receipt.at })}{' '}
          {receipt.status === 'pending' && t('receiptPending')}
        </p>
      )}
      {!session ? (
        <p>{t('signInToComment')}</p>
      ) : canContribute ? (
        <ContributionForm target={target} onSubmitted={submitted} />
      ) : (
        <p className="meta">{t('notOpenHere')}</p>
      )}
      <button type="button" className="link" onClick={onClose}>
        {t('close')}
      </button>
    </section>
  );
}

function ContributionForm({
  target,
  parentId,
  onSubmitted,
  onCancel,
}: {
  target: ThreadTarget;
  parentId?: string;
  onSubmitted: (c: Contribution) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const original = target.type === 'paragraph' ? target.text : '';
  const [kind, setKind] = useState<'comment' | 'amendment'>('comment');
  const [proposed, setProposed] = useState(original);
  const action = useAction();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const body = String(new FormData(form).get('body') ?? '');
    const payload = parentId
      ? { kind: 'reply', body, parentId }
      : kind === 'amendment'
        ? { kind, body, proposedText: proposed }
        : { kind, body };
    void action.run(async () => {
      // One key per submission: a retry after a lost answer returns the same receipt instead of a second contribution.
      const c = await post<Contribution>(path(target), payload, { 'idempotency-key': crypto.randomUUID() });
      form.reset();
      setProposed(original);
      await onSubmitted(c);
    });
  }

  return (
    <form onSubmit={submit} className={parentId ? 'reply-form' : undefined}>
      {!parentId && target.type === 'paragraph' && (
        <label>
          {t('kind')}{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as 'comment' | 'amendment')}>
            <option value="comment">{t('kinds.comment')}</option>
            <option value="amendment">{t('kinds.amendment')}</option>
          </select>
        </label>
      )}
      {!parentId && kind === 'amendment' && (
        <>
          <label>
            {t('proposedText')}{' '}
            <textarea
              value={proposed}
              onChange={(e) => setProposed(e.target.value)}
              rows={4}
              required
              maxLength={10000}
            />
          </label>
          <WordDiff ops={wordOps(original, proposed)} label={t('changes')} />
        </>
      )}
      <label>
        {parentId ? t('yourReply') : t('yourComment')} <textarea name="body" rows={3} required maxLength={10000} />
      </label>
      <ErrorNote error={action.error} />
      <button type="submit" disabled={action.busy}>
        {parentId ? t('sendReply') : t('submit')}
      </button>{' '}
      {onCancel && (
        <button type="button" className="link" onClick={onCancel}>
          {t('cancel')}
        </button>
      )}
    </form>
  );
}

function Item({
  c,
  session,
  canContribute,
  target,
  onChanged,
  onSubmitted,
}: {
  c: Contribution;
  session: Session | null;
  canContribute: boolean;
  target: ThreadTarget;
  onChanged: () => Promise<void>;
  onSubmitted: (c: Contribution) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [replying, setReplying] = useState(false);
  const [flagged, setFlagged] = useState(false);
  const action = useAction();
  const mine = session?.user.id === c.author.id;
  const endorse = () =>
    action.run(async () => {
      await api(`/api/contributions/${c.id}/endorsements`, { method: c.endorsedByMe ? 'DELETE' : 'POST' });
      await onChanged();
    });
  const flag = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason'));
    void action.run(async () => {
      await post(`/api/contributions/${c.id}/flags`, { reason });
      setFlagged(true);
    });
  };
  return (
    <li data-testid="contribution" data-tracking={c.trackingNumber}>
      <p className="meta">
        <strong>{c.author.name}</strong> ({c.author.organisation}, {t(`groups.${c.author.group}`)}) · {c.trackingNumber}{' '}
        · {formatDate(c.submittedAt, i18n.language)}
        {c.version && target.type === 'paragraph' && c.paragraphLabel !== target.label && (
          <> · {t('madeOn', { label: c.paragraphLabel, version: c.versionName })}</>
        )}
        {c.status !== 'published' && (
          <span className="tag" data-testid="status">
            {t(`statuses.${c.status}`)}
          </span>
        )}
        {c.kind === 'amendment' && <span className="tag">{t('kinds.amendment')}</span>}
      </p>
      {c.redacted ? (
        <p className="empty">{t('hiddenTrace', { reason: t(`reasons.${c.moderation?.reason ?? 'other'}`) })}</p>
      ) : (
        <>
          {c.inReplyTo && (
            <p className="meta">
              {t('inReplyTo', { tracking: c.inReplyTo.trackingNumber, name: c.inReplyTo.authorName })}
            </p>
          )}
          <p className="body">{c.body}</p>
          {c.proposedText &&
            (c.diff ? (
              <WordDiff ops={c.diff} label={t('proposedChanges')} />
            ) : (
              <p className="proposed">{c.proposedText}</p>
            ))}
        </>
      )}
      {c.disposition && (
        <p className="disposition">
          {t('secretariat')}: <strong>{t(`dispositions.${c.disposition.value}`)}</strong>
          {c.disposition.response && <> — {c.disposition.response}</>}
        </p>
      )}
      <p className="actions">
        <span data-testid="endorsements">{t('endorsements', { count: c.endorsements.total })}</span>
        {session && !mine && c.status === 'published' && (
          <button
            type="button"
            className="small"
            aria-pressed={!!c.endorsedByMe}
            onClick={() => void endorse()}
            disabled={action.busy}
          >
            {c.endorsedByMe ? t('withdrawEndorsement') : t('endorse')}
          </button>
        )}
        {session && canContribute && c.status === 'published' && !replying && (
          <button type="button" className="small" onClick={() => setReplying(true)}>
            {t('reply')}
          </button>
        )}
        {session && !mine && c.status === 'published' && !flagged && (
          <details className="flag">
            <summary>{t('flag')}</summary>
            <form onSubmit={flag}>
              <label>
                {t('flagReason')}{' '}
                <select name="reason" defaultValue="off_topic">
                  {FLAG_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`flagReasons.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="small" disabled={action.busy}>
                {t('sendFlag')}
              </button>
            </form>
          </details>
        )}
        {flagged && <span role="status">{t('flagged')}</span>}
      </p>
      <ErrorNote error={action.error} />
      {replying && (
        <ContributionForm
          target={target}
          parentId={c.id}
          onCancel={() => setReplying(false)}
          onSubmitted={async (r) => {
            setReplying(false);
            await onSubmitted(r);
          }}
        />
      )}
      {c.replies.length > 0 && (
        <ul className="thread replies" aria-label={t('repliesTo', { tracking: c.trackingNumber })}>
          {c.replies.map((r) => (
            <Item
              key={r.id}
              c={r}
              session={session}
              canContribute={canContribute}
              target={target}
              onChanged={onChanged}
              onSubmitted={onSubmitted}
            />
          ))}
        </ul>
      )}
    </li>
  );
}
