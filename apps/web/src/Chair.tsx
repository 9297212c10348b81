import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, post, type Consultation } from './api';
import type { Session } from './session';
import { ErrorNote, Loading, useAction, useLoad } from './ui';

/** Chairs: the consultations they run, and a new one (created as a draft; opened from its page when ready). */
export function Chair({ session }: { session: Session | null }) {
  const { t } = useTranslation();
  const action = useAction();
  const mine = useLoad(
    () =>
      session
        ? api<Consultation[]>('/api/consultations').then((all) => all.filter((c) => c.myRoles?.includes('chair')))
        : Promise.resolve([]),
    [session?.user.id],
  );
  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    void action.run(async () => {
      const made = await post<Consultation>('/api/consultations', {
        title: f.title,
        moderationPolicy: f.policy,
        ...(f.code ? { code: f.code.toUpperCase() } : {}),
        ...(f.description ? { description: f.description } : {}),
      });
      location.hash = `#/c/${made.id}/manage`;
    });
  };
  if (!session) return <p>{t('signInToChair')}</p>;
  return (
    <section aria-labelledby="chair-title">
      <h1 id="chair-title">{t('chairTitle')}</h1>
      <h2>{t('yourConsultations')}</h2>
      <ErrorNote error={mine.error} />
      {!mine.data ? (
        !mine.error && <Loading />
      ) : !mine.data.length ? (
        <p className="empty">{t('noneChaired')}</p>
      ) : (
        <ul className="cards">
          {mine.data.map((c) => (
            <li key={c.id}>
              <a href={`#/c/${c.id}/manage`}>{c.title}</a>{' '}
              <span className="tag">{t(`consultationStatus.${c.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={create} className="panel">
        <h2>{t('createConsultation')}</h2>
        <label>
          {t('title')} <input name="title" required maxLength={300} />
        </label>
        <label>
          {t('code')} <input name="code" maxLength={12} pattern="[A-Za-z0-9][A-Za-z0-9\-]{1,11}" />
        </label>
        <label>
          {t('description')} <textarea name="description" rows={2} maxLength={5000} />
        </label>
        <label>
          {t('policy')}{' '}
          <select name="policy" defaultValue="post">
            <option value="post">{t('policies.post')}</option>
            <option value="pre">{t('policies.pre')}</option>
          </select>
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t('createConsultation')}
        </button>
      </form>
    </section>
  );
}
