import { useTranslation } from 'react-i18next';
import { api, post, type Consultation, type Contribution } from './api';
import type { Session } from './session';
import { ErrorNote, formatDate, Loading, useAction, useLoad, WordDiff } from './ui';

/** The person's own contributions here: status, the moderator's decision, the secretariat's answer and where each went. */
export function Mine({ consultation, session }: { consultation: Consultation; session: Session | null }) {
  const { t, i18n } = useTranslation();
  const list = useLoad(
    () =>
      session
        ? api<{ items: Contribution[] }>(
            `/api/consultations/${consultation.id}/contributions?mine=true&limit=100&order=desc`,
          ).then((r) => r.items)
        : Promise.resolve([]),
    [consultation.id, session?.user.id],
  );
  const action = useAction();
  if (!session) return <p>{t('signInToSeeYours')}</p>;
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">{t('nav.mine')}</h2>
      <ErrorNote error={action.error} />
      {!list.data.length ? (
        <p className="empty">{t('noneOfYours')}</p>
      ) : (
        <ul className="thread mine">
          {list.data.map((c) => (
            <li key={c.id} data-testid="mine-item">
              <p className="meta">
                <strong>{c.trackingNumber}</strong> ·{' '}
                {c.paragraphLabel
                  ? t('paragraphIn', { label: c.paragraphLabel, version: c.versionName })
                  : t('wholeDocument')}{' '}
                · {t(`kinds.${c.kind}`)} · {formatDate(c.submittedAt, i18n.language)}
              </p>
              <p className="body">{c.body}</p>
              {c.diff && <WordDiff ops={c.diff} label={t('proposedChanges')} />}
              <dl className="facts">
                <dt>{t('status')}</dt>
                <dd data-testid="mine-status">{t(`statuses.${c.status}`)}</dd>
                {c.moderation && (
                  <>
                    <dt>{t('decision')}</dt>
                    <dd>
                      {t(`reasons.${c.moderation.reason}`)}
                      {c.moderation.note && <> — {c.moderation.note}</>} ({formatDate(c.moderation.at, i18n.language)})
                    </dd>
                  </>
                )}
                <dt>{t('disposition')}</dt>
                <dd data-testid="mine-disposition">
                  {c.disposition ? (
                    <>
                      <strong>{t(`dispositions.${c.disposition.value}`)}</strong>
                      {c.disposition.response && <> — {c.disposition.response}</>}
                    </>
                  ) : (
                    t('notYetAnswered')
                  )}
                </dd>
                <dt>{t('whereItWent')}</dt>
                <dd data-testid="mine-went">
                  {c.disposition?.resultingParagraph ? (
                    <a href={`#/c/${consultation.id}?v=${c.disposition.resultingParagraph.version}`}>
                      {t('resultingParagraph', {
                        label: c.disposition.resultingParagraph.label,
                        version: c.disposition.resultingParagraph.version,
                      })}
                    </a>
                  ) : (
                    t('notInARevisionYet')
                  )}
                </dd>
              </dl>
              {(c.status === 'pending' || c.status === 'published') && (
                <button
                  type="button"
                  className="small"
                  disabled={action.busy}
                  onClick={() =>
                    confirm(t('confirmWithdraw', { tracking: c.trackingNumber })) &&
                    void action.run(async () => {
                      await post(`/api/contributions/${c.id}/withdraw`, {});
                      await list.reload();
                    })
                  }
                >
                  {t('withdraw')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
