import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Consultation } from './api';
import { Auth } from './Auth';
import { Chair } from './Chair';
import { Clusters } from './Clusters';
import { Diff } from './Diff';
import { Manage } from './Manage';
import { Matrix } from './Matrix';
import { Mine } from './Mine';
import { Queue } from './Queue';
import { Reader } from './Reader';
import { getSession, hasRole, onSessionChange, type Session, signOut } from './session';
import { ConsultationNav, ErrorNote, Loading, useLoad } from './ui';

/** `#/c/<id>/<tab>?a=1` → path parts and query. */
function useRoute(): { parts: string[]; query: URLSearchParams } {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const [path, query = ''] = hash.slice(1).split('?');
  return { parts: path.split('/').filter(Boolean), query: new URLSearchParams(query) };
}

function useSession(): Session | null {
  const [session, setSession] = useState(getSession());
  useEffect(() => onSessionChange(setSession), []);
  return session;
}

function ConsultationList({ session }: { session: Session | null }) {
  const { t } = useTranslation();
  const list = useLoad(() => api<Consultation[]>('/api/consultations'), [session?.user.id]);
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t('consultations')}</h1>
      {!list.data.length ? (
        <p className="empty">{t('noConsultations')}</p>
      ) : (
        <ul className="cards">
          {list.data.map((c) => (
            <li key={c.id}>
              <a href={`#/c/${c.id}`}>
                <strong>{c.title}</strong>
              </a>
              <span className="tag">{t(`consultationStatus.${c.status}`)}</span>
              {c.myRoles?.map((r) => (
                <span key={r} className="tag role">
                  {t(`memberRoles.${r}`)}
                </span>
              ))}
              {c.description && <p>{c.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const TABS = ['', 'mine', 'moderate', 'clusters', 'matrix', 'manage', 'diff'];

function ConsultationPage({
  id,
  tab,
  query,
  session,
}: {
  id: string;
  tab: string;
  query: URLSearchParams;
  session: Session | null;
}) {
  const { t } = useTranslation();
  const c = useLoad(() => api<Consultation>(`/api/consultations/${id}`), [id, session?.user.id]);
  useEffect(() => {
    if (c.data) document.title = `${c.data.title} · Plenary`;
  }, [c.data]);
  if (c.error) return <ErrorNote error={c.error} />;
  if (!c.data) return <Loading />;
  const consultation = c.data;
  const version = Number(query.get('v')) || null;
  const props = { consultation, session };
  return (
    <article aria-labelledby="doc-title">
      <ConsultationNav consultation={consultation} current={tab} />
      <h1 id="doc-title">{consultation.title}</h1>
      {consultation.description && <p className="meta">{consultation.description}</p>}
      {!TABS.includes(tab) ? (
        <p className="empty">{t('notFound')}</p>
      ) : tab === 'mine' ? (
        <Mine {...props} />
      ) : tab === 'moderate' ? (
        <Queue {...props} />
      ) : tab === 'clusters' ? (
        <Clusters {...props} />
      ) : tab === 'matrix' ? (
        <Matrix {...props} />
      ) : tab === 'manage' ? (
        <Manage {...props} onChanged={() => void c.reload()} />
      ) : tab === 'diff' ? (
        <Diff {...props} from={Number(query.get('from')) || 1} to={Number(query.get('to')) || 2} />
      ) : (
        <Reader {...props} version={version} />
      )}
    </article>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const { parts, query } = useRoute();
  const session = useSession();
  const [showAuth, setShowAuth] = useState(false);
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);
  useEffect(() => {
    if (parts[0] !== 'c') document.title = 'Plenary';
  }, [parts[0]]);
  const switchLanguage = () => {
    const next = i18n.language === 'fr' ? 'en' : 'fr';
    localStorage.setItem('plenary.lang', next);
    void i18n.changeLanguage(next);
  };
  const isConsultation = parts[0] === 'c' && /^[0-9a-f-]{36}$/.test(parts[1] ?? '');
  return (
    <>
      <a href="#main" className="skip" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('skipToContent')}
      </a>
      <header>
        <a href="#/" className="brand">
          Plenary
        </a>
        <nav aria-label={t('accountNav')}>
          <button
            type="button"
            className="link light"
            onClick={switchLanguage}
            lang={i18n.language === 'fr' ? 'en' : 'fr'}
          >
            {t('language')}
          </button>
          {session ? (
            <>
              {hasRole(session, 'chair', 'admin') && (
                <a href="#/chair" className="light-link">
                  {t('chair')}
                </a>
              )}
              <span className="who">{session.user.displayName}</span>
              <button type="button" className="link light" onClick={() => void signOut()}>
                {t('signOut')}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="link light"
              aria-expanded={showAuth}
              onClick={() => setShowAuth(!showAuth)}
            >
              {t('signIn')}
            </button>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {showAuth && !session && <Auth onSession={() => setShowAuth(false)} />}
        {parts[0] === 'chair' ? (
          <Chair session={session} />
        ) : isConsultation ? (
          <ConsultationPage id={parts[1]} tab={parts[2] ?? ''} query={query} session={session} />
        ) : parts.length ? (
          <p className="empty">{t('notFound')}</p>
        ) : (
          <ConsultationList session={session} />
        )}
      </main>
    </>
  );
}
