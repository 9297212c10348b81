import { useEffect, useMemo, useState } from 'react';
import { LiveClient, type LiveEvent, type Presence } from '@plenary/realtime/client';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Consultation, type DocumentView, type Round } from './api';
import { Auth } from './Auth';
import { loadSession, type Session, signOut } from './session';
import { Emphasis } from './text';
import { Chair } from './Chair';
import { Queue } from './Queue';
import { Thread } from './Thread';

function useRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const message = error instanceof ApiError ? error.message : t('unreachable');
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}

function ConsultationList() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Consultation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Consultation[]>('/api/consultations').then(setItems, setError);
  }, []);
  if (error) return <ErrorNote error={error} />;
  if (!items) return <p aria-busy="true">{t('loading')}</p>;
  if (!items.length) return <p className="empty">{t('noConsultations')}</p>;
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t('consultations')}</h1>
      <ul className="cards">
        {items.map((c) => (
          <li key={c.id}>
            <a href={`#/c/${c.id}`}>
              <strong>{c.title}</strong>
            </a>
            <span className="tag">{c.status}</span>
            {c.description && <p>{c.description}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Reader({ consultationId, session }: { consultationId: string; session: Session | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [consultation, setConsultation] = useState<Consultation | null>(null);
  const [round, setRound] = useState<Round | null>(null);
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState(0);
  const [presence, setPresence] = useState<Presence | null>(null);
  const [live, setLive] = useState<Record<string, number>>({});

  useEffect(() => {
    (async () => {
      const [c, rounds] = await Promise.all([api<Consultation>(`/api/consultations/${consultationId}`), api<Round[]>(`/api/consultations/${consultationId}/rounds`)]);
      setConsultation(c);
      const r = rounds.find((x) => x.state === 'open') ?? rounds[rounds.length - 1] ?? null;
      setRound(r);
      if (r) setDoc(await api<DocumentView>(`/api/documents/${r.documentId}`));
    })().catch(setError);
  }, [consultationId]);

  // Live: new published contributions bump the paragraph's counter and the "new" indicator.
  useEffect(() => {
    const client = new LiveClient({ url: location.origin, token: () => session?.accessToken });
    const watch = client.watch(consultationId, {
      onEvent: (e: LiveEvent) => {
        if (e.type.startsWith('contribution.')) setRefresh((n) => n + 1);
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
  }, [consultationId, session?.accessToken]);

  const paragraphs = useMemo(() => doc?.sections.flatMap((s) => s.paragraphs.map((p) => ({ ...p, heading: s.heading }))) ?? [], [doc]);
  if (error) return <ErrorNote error={error} />;
  if (!consultation) return <p aria-busy="true">{t('loading')}</p>;
  return (
    <article aria-labelledby="doc-title">
      <p>
        <a href="#/">{t('allConsultations')}</a>
      </p>
      <h1 id="doc-title">{consultation.title}</h1>
      <p className="meta">
        {round ? t('roundState', { name: round.name, state: round.state, closes: new Date(round.closesAt).toLocaleString() }) : t('noRound')}{' '}
        {presence && <span data-testid="presence">{t('watching', { count: presence.total })}</span>}{' '}
        {session && <a href={`#/c/${consultationId}/moderate`}>{t('moderate')}</a>}
      </p>
      {fresh > 0 && (
        <p role="status" className="new" data-testid="new-count">
          {t('newContributions', { count: fresh })}
        </p>
      )}
      {!doc ? (
        <p className="empty">{t('draftNotPublished')}</p>
      ) : (
        <>
          <h2>
            {doc.title} <span className="tag">{doc.versionName}</span>
          </h2>
          <ol className="paragraphs">
            {paragraphs.map((p) => {
              const published = p.counts.published + (live[p.lineageKey] ?? 0);
              return (
                <li key={p.id} id={`p-${p.label}`} data-label={p.label}>
                  <span className="label">{p.label}</span>
                  <p>
                    <Emphasis text={p.text} />
                  </p>
                  <span className="counts" aria-label={`${published} contributions, ${p.counts.amendments} amendments`} data-testid={`count-${p.label}`}>
                    {published}
                  </span>
                  <button type="button" className="link" aria-expanded={open === p.id} onClick={() => setOpen(open === p.id ? null : p.id)}>
                    {t('comment')} {p.label}
                  </button>
                  {open === p.id && <Thread paragraph={p} session={session} refresh={refresh} onClose={() => setOpen(null)} />}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </article>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(loadSession());
  const [showAuth, setShowAuth] = useState(false);
  const m = /^#\/c\/([0-9a-f-]{36})(\/moderate)?/.exec(route);
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);
  const switchLanguage = () => {
    const next = i18n.language === 'fr' ? 'en' : 'fr';
    localStorage.setItem('plenary.lang', next);
    void i18n.changeLanguage(next);
  };
  return (
    <>
      <header>
        <a href="#/" className="brand">
          Plenary
        </a>
        <nav aria-label="Account">
          <button type="button" className="link light" onClick={switchLanguage}>
            {t('language')}
          </button>
          {session ? (
            <>
              <a href="#/chair" className="light-link">
                {t('chair')}
              </a>
              <span className="who">{session.user.displayName}</span>
              <button type="button" className="link light" onClick={() => (signOut(), setSession(null))}>
                {t('signOut')}
              </button>
            </>
          ) : (
            <button type="button" className="link light" onClick={() => setShowAuth(!showAuth)}>
              {t('signIn')}
            </button>
          )}
        </nav>
      </header>
      <main>
        {showAuth && !session && <Auth onSession={(s) => (setSession(s), setShowAuth(false))} />}
        {route.startsWith('#/chair') ? <Chair session={session} /> : m && m[2] ? <Queue consultationId={m[1]} session={session} /> : m ? <Reader consultationId={m[1]} session={session} /> : <ConsultationList />}
      </main>
    </>
  );
}
