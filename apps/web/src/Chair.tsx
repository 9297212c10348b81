import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from './api';
import { authHeader, type Session } from './session';

interface Step {
  consultation?: { id: string; code: string; title: string };
  document?: { id: string; title: string; paragraphs: number };
  report?: Record<string, unknown>;
  round?: { name: string; closesAt: string };
  reportId?: string;
}

const FORMATS = ['html', 'docx', 'pdf', 'md', 'csv', 'json'];

/** A chair's path: create and open a consultation, import a draft (paste or .docx), open a round, generate a report. */
export function Chair({ session }: { session: Session | null }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const call = async <T,>(path: string, method: string, body: unknown): Promise<T> => api<T>(path, { method, headers: authHeader(session), body: JSON.stringify(body) });
  const run = (work: (f: Record<string, FormDataEntryValue>) => Promise<void>) => async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await work(Object.fromEntries(new FormData(e.currentTarget)));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('unreachable'));
    } finally {
      setBusy(false);
    }
  };

  if (!session) return <p>{t('signInToChair')}</p>;
  const c = step.consultation;
  return (
    <section aria-labelledby="chair-title">
      <h1 id="chair-title">{t('chairTitle')}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form
        onSubmit={run(async (f) => {
          const made = await call<{ id: string; code: string; title: string }>('/api/consultations', 'POST', { title: f.title, moderationPolicy: f.policy, ...(f.code ? { code: String(f.code).toUpperCase() } : {}) });
          await call(`/api/consultations/${made.id}`, 'PATCH', { status: 'open' });
          setStep({ consultation: made });
        })}
      >
        <h2>1. {t('createConsultation')}</h2>
        <label>
          {t('title')} <input name="title" required maxLength={300} />
        </label>
        <label>
          {t('code')} <input name="code" maxLength={12} />
        </label>
        <label>
          {t('policy')}{' '}
          <select name="policy" defaultValue="post">
            <option value="post">{t('policies.post')}</option>
            <option value="pre">{t('policies.pre')}</option>
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {t('createConsultation')}
        </button>
      </form>
      {c && (
        <form
          onSubmit={run(async (f) => {
            const file = f.file as File;
            const body =
              file && file.size
                ? { format: 'docx', content: btoa(String.fromCharCode(...new Uint8Array(await file.arrayBuffer()))) }
                : { format: 'text', content: String(f.content ?? '') };
            const r = await call<{ document: { id: string; title: string; sections: { paragraphs: unknown[] }[] }; importReport: Record<string, unknown> }>(`/api/consultations/${c.id}/documents`, 'POST', body);
            setStep((s) => ({ ...s, document: { id: r.document.id, title: r.document.title, paragraphs: r.document.sections.reduce((n, x) => n + x.paragraphs.length, 0) }, report: r.importReport }));
          })}
        >
          <h2>2. {t('importDraft')}</h2>
          <p className="meta">
            {c.title} ({c.code})
          </p>
          <label>
            {t('pasteDraft')} <textarea name="content" rows={8} />
          </label>
          <label>
            {t('orUpload')} <input name="file" type="file" accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" />
          </label>
          <button type="submit" disabled={busy}>
            {t('importDraft')}
          </button>
          {step.document && (
            <p role="status" data-testid="import-report">
              {t('imported', { title: step.document.title, paragraphs: step.document.paragraphs, warnings: ((step.report?.warnings as unknown[]) ?? []).length })}
            </p>
          )}
        </form>
      )}
      {step.document && (
        <form
          onSubmit={run(async (f) => {
            const now = new Date();
            const closes = new Date(now.getTime() + Number(f.days) * 86400_000);
            const r = await call<{ name: string; closesAt: string }>(`/api/consultations/${c!.id}/rounds`, 'POST', { documentId: step.document!.id, opensAt: now.toISOString(), closesAt: closes.toISOString() });
            setStep((s) => ({ ...s, round: r }));
          })}
        >
          <h2>3. {t('openRound')}</h2>
          <label>
            {t('days')} <input name="days" type="number" min={1} max={365} defaultValue={30} required />
          </label>
          <button type="submit" disabled={busy}>
            {t('openRound')}
          </button>
          {step.round && (
            <p role="status">
              {t('roundOpened', { name: step.round.name, closes: new Date(step.round.closesAt).toLocaleString() })} <a href={`#/c/${c!.id}`}>{t('seeDocument')}</a>
            </p>
          )}
        </form>
      )}
      {step.round && (
        <form
          onSubmit={run(async () => {
            const r = await call<{ id: string }>(`/api/consultations/${c!.id}/reports`, 'POST', {});
            setStep((s) => ({ ...s, reportId: r.id }));
          })}
        >
          <h2>4. {t('generateReport')}</h2>
          <button type="submit" disabled={busy}>
            {t('generateReport')}
          </button>
          {step.reportId && (
            <ul data-testid="exports">
              {FORMATS.map((f) => (
                <li key={f}>
                  <a href={`/api/reports/${step.reportId}/export?format=${f}`} download>
                    {t('download', { format: f.toUpperCase() })}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </form>
      )}
    </section>
  );
}
