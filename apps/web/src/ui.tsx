import { diffWords } from 'diff';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { download, errorText, type Consultation } from './api';

/** The API's message, shown to the person (or a plain "could not reach" when there is none). */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {typeof error === 'string' ? error : errorText(error, t('unreachable'))}
    </p>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p aria-busy="true" className="meta">
      {t('loading')}
    </p>
  );
}

/** Loads once per change of `deps`, with the error kept to show; `reload` runs the loader again. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | null; error: unknown; reload: () => Promise<void>; set: (d: T) => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(
    () =>
      load().then(
        (d) => (setData(d), setError(null)),
        (e) => setError(e),
      ),
    deps, // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload, set: setData };
}

/** Runs an action, keeping its error and a busy flag for the button that started it. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  run: (work: () => Promise<unknown>) => Promise<void>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

/** Word-level changes, inserted text marked as such for screen readers too. */
export function WordDiff({
  ops,
  label,
}: {
  ops: { op: 'insert' | 'delete' | 'equal'; text: string }[];
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <p className="diff" aria-label={label}>
      {ops.map((o, i) =>
        o.op === 'insert' ? (
          <ins key={i} aria-label={`${t('inserted')}: ${o.text}`}>
            {o.text}
          </ins>
        ) : o.op === 'delete' ? (
          <del key={i} aria-label={`${t('deleted')}: ${o.text}`}>
            {o.text}
          </del>
        ) : (
          <span key={i}>{o.text}</span>
        ),
      )}
    </p>
  );
}

export const wordOps = (from: string, to: string) =>
  diffWords(from, to).map((p) => ({
    op: p.added ? ('insert' as const) : p.removed ? ('delete' as const) : ('equal' as const),
    text: p.value,
  }));

/** A link to a file; signed in, it is fetched with the token (moderators may see more than the public). */
export function DownloadLink({ href, children, signedIn }: { href: string; children: ReactNode; signedIn: boolean }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <a
        href={href}
        download
        onClick={(e) => {
          if (!signedIn) return;
          e.preventDefault();
          setError(null);
          download(href).catch(setError);
        }}
      >
        {children}
      </a>
      {!!error && <span className="error"> {errorText(error, t('unreachable'))}</span>}
    </>
  );
}

/** The tabs of one consultation, as far as the person's roles go. */
export function ConsultationNav({ consultation, current }: { consultation: Consultation; current: string }) {
  const { t } = useTranslation();
  const roles = consultation.myRoles ?? [];
  const moderates = roles.includes('moderator') || roles.includes('chair');
  const tabs: [string, string][] = [
    ['', t('nav.document')],
    ...(consultation.myRoles ? ([['mine', t('nav.mine')]] as [string, string][]) : []),
    ...(moderates
      ? ([
          ['moderate', t('nav.queue')],
          ['clusters', t('nav.clusters')],
          ['matrix', t('nav.matrix')],
        ] as [string, string][])
      : []),
    ...(roles.includes('chair') ? ([['manage', t('nav.manage')]] as [string, string][]) : []),
  ];
  return (
    <nav aria-label={t('nav.label')} className="tabs">
      <a href="#/">{t('allConsultations')}</a>
      {tabs.map(([path, name]) => (
        <a
          key={path}
          href={`#/c/${consultation.id}${path ? `/${path}` : ''}`}
          aria-current={current === path ? 'page' : undefined}
        >
          {name}
        </a>
      ))}
    </nav>
  );
}

export const formatDate = (iso: string, lang: string) =>
  new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
