import { useEffect, useMemo, useState } from 'react';
import { LiveClient, type LiveEvent, type Presence } from '@plenary/realtime/client';
import { api, ApiError, type Consultation, type DocumentView, type Round } from './api';
import { Emphasis } from './text';

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
  const message = error instanceof ApiError ? error.message : 'Plenary could not be reached. Check your connection and try again.';
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}

function ConsultationList() {
  const [items, setItems] = useState<Consultation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Consultation[]>('/api/consultations').then(setItems, setError);
  }, []);
  if (error) return <ErrorNote error={error} />;
  if (!items) return <p aria-busy="true">Loading consultations…</p>;
  if (!items.length) return <p className="empty">No consultation is open yet. When a secretariat opens one, it appears here.</p>;
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">Consultations</h1>
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

function Reader({ consultationId }: { consultationId: string }) {
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
    const client = new LiveClient({ url: location.origin });
    const watch = client.watch(consultationId, {
      onEvent: (e: LiveEvent) => {
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
  }, [consultationId]);

  const paragraphs = useMemo(() => doc?.sections.flatMap((s) => s.paragraphs.map((p) => ({ ...p, heading: s.heading }))) ?? [], [doc]);
  if (error) return <ErrorNote error={error} />;
  if (!consultation) return <p aria-busy="true">Loading…</p>;
  return (
    <article aria-labelledby="doc-title">
      <p>
        <a href="#/">← All consultations</a>
      </p>
      <h1 id="doc-title">{consultation.title}</h1>
      <p className="meta">
        {round ? `Round ${round.name} is ${round.state}; closes ${new Date(round.closesAt).toLocaleString()}.` : 'No round has been opened yet.'}{' '}
        {presence && <span data-testid="presence">{presence.total} watching now.</span>}
      </p>
      {fresh > 0 && (
        <p role="status" className="new" data-testid="new-count">
          {fresh} new contribution{fresh === 1 ? '' : 's'}
        </p>
      )}
      {!doc ? (
        <p className="empty">The draft is not published yet.</p>
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
  const route = useRoute();
  const m = /^#\/c\/([0-9a-f-]{36})/.exec(route);
  return (
    <>
      <header>
        <a href="#/" className="brand">
          Plenary
        </a>
      </header>
      <main>{m ? <Reader consultationId={m[1]} /> : <ConsultationList />}</main>
    </>
  );
}
