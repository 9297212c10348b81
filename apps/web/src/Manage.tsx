import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveClient } from '@plenary/realtime/client';
import { api, patch, post, type Consultation, type DocumentView, type Round } from './api';
import { getSession, type Session } from './session';
import { DownloadLink, ErrorNote, formatDate, Loading, useAction, useLoad } from './ui';

interface DocSummary {
  id: string;
  title: string;
  currentVersion: number;
  versionName: string;
}
interface ImportReport {
  sections: number;
  numberedParagraphs: number;
  preambleParagraphs: number;
  subItems: number;
  footnotes: number;
  notes: number;
  warnings: string[];
}
interface LineageEntry {
  label: string;
  text: string;
  lineageKey: string;
  match: string;
  previous: { label: string; text: string } | null;
}
interface Preview {
  importReport: ImportReport;
  lineage: LineageEntry[];
  previousParagraphs: { label: string; lineageKey: string; text: string; carried: boolean }[];
}

/** A file or pasted text, as the API takes a draft. */
async function draftBody(f: FormData): Promise<{ format: string; content: string }> {
  const file = f.get('file') as File | null;
  if (file && file.size) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { format: 'docx', content: btoa(binary) };
  }
  const content = String(f.get('content') ?? '');
  // Pasted Markdown (headings, emphasis) is read as Markdown; anything else as plain text.
  return { format: /^#{1,6} |\*\*[^*\n]+\*\*/m.test(content) ? 'markdown' : 'text', content };
}

const excerpt = (text: string, n = 90) => {
  const s = text.replace(/\*\*?([^*]+)\*\*?/g, '$1');
  return s.length > n ? `${s.slice(0, n)}…` : s;
};

/** A chair runs one consultation: its status, the draft and its revisions, rounds, and reports. */
export function Manage({
  consultation,
  session,
  onChanged,
}: {
  consultation: Consultation;
  session: Session | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const docs = useLoad(() => api<DocSummary[]>(`/api/consultations/${consultation.id}/documents`), [consultation.id]);
  const rounds = useLoad(() => api<Round[]>(`/api/consultations/${consultation.id}/rounds`), [consultation.id]);
  const status = useAction();
  const [imported, setImported] = useState<{ title: string; report: ImportReport } | null>(null);
  if (!consultation.myRoles?.includes('chair')) return <p>{t('chairsOnly')}</p>;
  const doc = docs.data?.[docs.data.length - 1] ?? null;
  return (
    <div className="manage">
      <section aria-labelledby="status-title" className="panel">
        <h2 id="status-title">{t('statusTitle')}</h2>
        <p>
          {t('statusNow', {
            status: t(`consultationStatus.${consultation.status}`),
            policy: t(`policies.${consultation.moderationPolicy}`),
          })}{' '}
          {consultation.nextStatuses.map((s) => (
            <button
              key={s}
              type="button"
              className="small"
              disabled={status.busy}
              onClick={() =>
                void status.run(
                  async () => (await patch(`/api/consultations/${consultation.id}`, { status: s }), onChanged()),
                )
              }
            >
              {t(`statusActions.${s}`)}
            </button>
          ))}
        </p>
        <ErrorNote error={status.error} />
      </section>
      <ErrorNote error={docs.error ?? rounds.error} />
      {!docs.data ? (
        !docs.error && <Loading />
      ) : !doc ? (
        <ImportDraft consultationId={consultation.id} onImported={async (r) => (setImported(r), await docs.reload())} />
      ) : (
        <>
          {imported && (
            <section aria-labelledby="imported-title" className="panel">
              <h2 id="imported-title">{t('importDraft')}</h2>
              <ImportReportView report={imported.report} title={imported.title} />
            </section>
          )}
          <Revision doc={doc} onPublished={() => void docs.reload()} />
        </>
      )}
      <Members consultationId={consultation.id} me={session?.user.id} />
      {doc && rounds.data && (
        <Rounds consultationId={consultation.id} doc={doc} rounds={rounds.data} onChanged={rounds.reload} />
      )}
      {doc && <Reports consultation={consultation} session={session} />}
    </div>
  );
}

function ImportReportView({ report, title }: { report: ImportReport; title?: string }) {
  const { t } = useTranslation();
  return (
    <div role="status" data-testid="import-report" className="receipt">
      {title && <p>{t('importedTitle', { title })}</p>}
      <p>{t('importCounts', { ...report })}</p>
      {report.warnings.length > 0 ? (
        <>
          <p>{t('warnings', { count: report.warnings.length })}</p>
          <ul>
            {report.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('noWarnings')}</p>
      )}
    </div>
  );
}

function DraftInputs() {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('pasteDraft')} <textarea name="content" rows={8} />
      </label>
      <label>
        {t('orUpload')}{' '}
        <input
          name="file"
          type="file"
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        />
      </label>
    </>
  );
}

function ImportDraft({
  consultationId,
  onImported,
}: {
  consultationId: string;
  onImported: (r: { title: string; report: ImportReport }) => Promise<void>;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void action.run(async () => {
      const r = await post<{ document: DocumentView; importReport: ImportReport }>(
        `/api/consultations/${consultationId}/documents`,
        await draftBody(f),
      );
      await onImported({ title: r.document.title, report: r.importReport });
    });
  };
  return (
    <section aria-labelledby="import-title" className="panel">
      <h2 id="import-title">{t('importDraft')}</h2>
      <form onSubmit={submit}>
        <DraftInputs />
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? t('working') : t('importDraft')}
        </button>
      </form>
    </section>
  );
}

/** Publish the next version: check how its paragraphs continue the current ones, correct, then publish. */
function Revision({ doc, onPublished }: { doc: DocSummary; onPublished: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [draft, setDraft] = useState<{ format: string; content: string; note: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const check = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void action.run(async () => {
      const body = { ...(await draftBody(f)), note: String(f.get('note') ?? '') };
      const p = await post<Preview>(`/api/documents/${doc.id}/versions/preview`, {
        format: body.format,
        content: body.content,
      });
      setDraft(body);
      setPreview(p);
      setChoice(Object.fromEntries(p.lineage.map((l) => [l.label, l.previous ? l.lineageKey : ''])));
      setDone(null);
    });
  };
  const publish = () =>
    action.run(async () => {
      const corrections = preview!.lineage
        .filter((l) => (choice[l.label] || null) !== (l.previous ? l.lineageKey : null))
        .map((l) => ({ label: l.label, lineageKey: choice[l.label] || null }));
      const r = await post<{ document: DocumentView }>(`/api/documents/${doc.id}/versions`, {
        format: draft!.format,
        content: draft!.content,
        ...(draft!.note ? { note: draft!.note } : {}),
        ...(corrections.length ? { lineage: corrections } : {}),
      });
      setDone(t('published', { name: r.document.versionName, corrections: corrections.length }));
      setPreview(null);
      setDraft(null);
      onPublished();
    });
  const dropped = preview
    ? preview.previousParagraphs.filter((p) => !Object.values(choice).includes(p.lineageKey))
    : [];
  return (
    <section aria-labelledby="revision-title" className="panel">
      <h2 id="revision-title">{t('revisionTitle', { title: doc.title, name: doc.versionName })}</h2>
      {done && (
        <p role="status" className="receipt" data-testid="published">
          {done}
        </p>
      )}
      <form onSubmit={check}>
        <DraftInputs />
        <label>
          {t('revisionNote')} <input name="note" maxLength={5000} />
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>
          {t('checkMatching')}
        </button>
      </form>
      {preview && (
        <>
          <ImportReportView report={preview.importReport} />
          <p className="meta">{t('matchingIntro')}</p>
          <div className="table-wrap">
            <table data-testid="lineage">
              <caption className="sr-only">{t('lineageCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('newParagraph')}</th>
                  <th scope="col">{t('continues')}</th>
                  <th scope="col">{t('howMatched')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.lineage.map((l) => (
                  <tr key={l.label}>
                    <th scope="row">
                      ¶{l.label} <span className="meta">{excerpt(l.text)}</span>
                    </th>
                    <td>
                      <select
                        aria-label={t('continuesFor', { label: l.label })}
                        value={choice[l.label] ?? ''}
                        onChange={(e) => setChoice({ ...choice, [l.label]: e.target.value })}
                      >
                        <option value="">{t('aNewParagraph')}</option>
                        {preview.previousParagraphs.map((p) => (
                          <option key={p.lineageKey} value={p.lineageKey}>
                            ¶{p.label}: {excerpt(p.text, 60)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {(choice[l.label] || null) !== (l.previous ? l.lineageKey : null)
                        ? t('matches.corrected')
                        : t(`matches.${l.match}`)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {dropped.length > 0 && (
            <p className="meta">{t('dropped', { labels: dropped.map((p) => p.label).join(', ') })}</p>
          )}
          <button type="button" onClick={() => void publish()} disabled={action.busy}>
            {t('publishRevision')}
          </button>{' '}
          <button type="button" className="link" onClick={() => setPreview(null)}>
            {t('cancel')}
          </button>
        </>
      )}
    </section>
  );
}

interface Member {
  userId: string;
  displayName: string;
  organisation: string;
  role: string;
}

/** Who chairs and moderates: add by the email they sign in with, remove (the record keeps who held which role). */
function Members({ consultationId, me }: { consultationId: string; me?: string }) {
  const { t } = useTranslation();
  const list = useLoad(() => api<Member[]>(`/api/consultations/${consultationId}/members`), [consultationId]);
  const action = useAction();
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    void action.run(async () => {
      list.set(
        await post<Member[]>(`/api/consultations/${consultationId}/members`, {
          email: String(f.get('email')),
          role: String(f.get('role')),
        }),
      );
      form.reset();
    });
  };
  const remove = (m: Member) =>
    confirm(t('confirmRemove', { name: m.displayName })) &&
    void action.run(async () =>
      list.set(await api<Member[]>(`/api/consultations/${consultationId}/members/${m.userId}`, { method: 'DELETE' })),
    );
  return (
    <section aria-labelledby="members-title" className="panel">
      <h2 id="members-title">{t('membersTitle')}</h2>
      <ErrorNote error={list.error ?? action.error} />
      <ul className="cards" data-testid="members">
        {list.data?.map((m) => (
          <li key={`${m.userId}-${m.role}`}>
            {m.displayName} ({m.organisation}) <span className="tag">{t(`roles.${m.role}`)}</span>{' '}
            {m.userId !== me && (
              <button type="button" className="small" onClick={() => remove(m)} disabled={action.busy}>
                {t('remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="inline-form">
        <label className="inline grow">
          {t('memberEmail')} <input name="email" type="email" required autoComplete="off" />
        </label>
        <label className="inline">
          {t('asRole')}{' '}
          <select name="role" defaultValue="moderator">
            <option value="moderator">{t('roles.moderator')}</option>
            <option value="chair">{t('roles.chair')}</option>
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          {t('addMember')}
        </button>
      </form>
    </section>
  );
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function Rounds({
  consultationId,
  doc,
  rounds,
  onChanged,
}: {
  consultationId: string;
  doc: DocSummary;
  rounds: Round[];
  onChanged: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const action = useAction();
  const [message, setMessage] = useState<string | null>(null);
  const open = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void action.run(async () => {
      const opens = new Date(String(f.get('opensAt')));
      const closes = new Date(String(f.get('closesAt')));
      const r = await post<Round>(`/api/consultations/${consultationId}/rounds`, {
        documentId: doc.id,
        version: Number(f.get('version')),
        opensAt: opens.toISOString(),
        closesAt: closes.toISOString(),
      });
      setMessage(t('roundOpened', { name: r.name, closes: formatDate(r.closesAt, i18n.language) }));
      await onChanged();
    });
  };
  const change = (r: Round, body: Record<string, unknown>, done: string) =>
    action.run(async () => {
      await patch(`/api/rounds/${r.id}`, body);
      setMessage(done);
      await onChanged();
    });
  const now = new Date();
  return (
    <section aria-labelledby="rounds-title" className="panel">
      <h2 id="rounds-title">{t('roundsTitle')}</h2>
      {message && (
        <p role="status" className="receipt" data-testid="round-message">
          {message}
        </p>
      )}
      <ErrorNote error={action.error} />
      {!rounds.length ? (
        <p className="empty">{t('noRoundsYet')}</p>
      ) : (
        <ul className="cards">
          {rounds.map((r) => (
            <li key={r.id} data-testid="round">
              <p>
                <strong>{r.name}</strong> · v{r.version} · <span className="tag">{t(`roundStates.${r.state}`)}</span> ·{' '}
                {formatDate(r.opensAt, i18n.language)} → {formatDate(r.closesAt, i18n.language)}
              </p>
              {r.state !== 'closed' && (
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const f = new FormData(e.currentTarget);
                    const reason = String(f.get('reason') ?? '');
                    void change(
                      r,
                      { closesAt: new Date(String(f.get('closesAt'))).toISOString(), ...(reason ? { reason } : {}) },
                      t('roundExtended', { name: r.name }),
                    );
                  }}
                >
                  <label className="inline">
                    {t('newClosing')}{' '}
                    <input
                      type="datetime-local"
                      name="closesAt"
                      required
                      defaultValue={localInput(new Date(new Date(r.closesAt).getTime() + 7 * 86400_000))}
                    />
                  </label>
                  <label className="inline grow">
                    {t('reasonPublic')} <input name="reason" maxLength={2000} />
                  </label>
                  <button type="submit" className="small" disabled={action.busy}>
                    {t('extend')}
                  </button>{' '}
                  <button
                    type="button"
                    className="small danger"
                    disabled={action.busy}
                    onClick={(e) => {
                      const reason = String(new FormData(e.currentTarget.form!).get('reason') ?? '');
                      if (confirm(t('confirmClose', { name: r.name })))
                        void change(
                          r,
                          { close: true, ...(reason ? { reason } : {}) },
                          t('roundClosed', { name: r.name }),
                        );
                    }}
                  >
                    {t('closeNow')}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={open}>
        <h3>{t('openRound')}</h3>
        <label className="inline">
          {t('onVersion')}{' '}
          <input
            type="number"
            name="version"
            min={1}
            max={doc.currentVersion}
            defaultValue={doc.currentVersion}
            required
          />
        </label>
        <label className="inline">
          {t('opensAt')} <input type="datetime-local" name="opensAt" required defaultValue={localInput(now)} />
        </label>
        <label className="inline">
          {t('closesAt')}{' '}
          <input
            type="datetime-local"
            name="closesAt"
            required
            defaultValue={localInput(new Date(now.getTime() + 30 * 86400_000))}
          />
        </label>
        <button type="submit" disabled={action.busy}>
          {t('openRound')}
        </button>
      </form>
    </section>
  );
}

interface ReportSummary {
  id: string;
  roundId: string | null;
  contentHash: string;
  createdAt: string;
  summary?: { contributions: number; contributors: number };
}

const FORMATS = ['html', 'docx', 'pdf', 'md', 'csv', 'json'];
const CHARTS = ['byGroup', 'byRegion', 'perDay', 'heatMap'];

export function Reports({ consultation, session }: { consultation: Consultation; session: Session | null }) {
  const { t, i18n } = useTranslation();
  const list = useLoad(() => api<ReportSummary[]>(`/api/consultations/${consultation.id}/reports`), [consultation.id]);
  const [shown, setShown] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ percent: number; step: string } | null>(null);
  const action = useAction();
  useEffect(() => {
    if (!session) return;
    const live = new LiveClient({ url: location.origin, token: () => getSession()?.accessToken });
    const off = live.onProgress(
      (p) =>
        p.kind === 'report' &&
        p.consultationId === consultation.id &&
        setProgress({ percent: p.percent, step: p.step }),
    );
    return () => (off(), live.close());
  }, [consultation.id, session?.user.id]);
  const generate = () =>
    action
      .run(async () => {
        setProgress({ percent: 0, step: '' });
        const r = await post<ReportSummary>(`/api/consultations/${consultation.id}/reports`, {});
        setProgress(null);
        await list.reload();
        setShown(r.id);
      })
      .finally(() => setProgress(null));
  return (
    <section aria-labelledby="reports-title" className="panel">
      <h2 id="reports-title">{t('reportsTitle')}</h2>
      <button type="button" onClick={() => void generate()} disabled={action.busy}>
        {t('generateReport')}
      </button>
      {progress && (
        <p role="status">
          <progress max={100} value={progress.percent} aria-label={t('generating')} /> {progress.percent} %{' '}
          {progress.step}
        </p>
      )}
      <ErrorNote error={action.error ?? list.error} />
      {list.data && !list.data.length && <p className="empty">{t('noReports')}</p>}
      <ul className="cards">
        {list.data?.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className="link"
              aria-expanded={shown === r.id}
              onClick={() => setShown(shown === r.id ? null : r.id)}
            >
              {t('reportOf', { at: formatDate(r.createdAt, i18n.language) })}
            </button>{' '}
            <span className="meta">sha256 {r.contentHash.slice(0, 12)}…</span>
            {shown === r.id && <ReportView id={r.id} session={session} />}
          </li>
        ))}
      </ul>
      <p>
        {t('openData')}:{' '}
        <DownloadLink
          href={`/api/consultations/${consultation.id}/contributions/export?format=csv`}
          signedIn={!!session}
        >
          CSV
        </DownloadLink>{' '}
        ·{' '}
        <DownloadLink
          href={`/api/consultations/${consultation.id}/contributions/export?format=jsonl`}
          signedIn={!!session}
        >
          JSON Lines
        </DownloadLink>
      </p>
    </section>
  );
}

interface ReportDetail {
  id: string;
  data: {
    participation: {
      contributors: number;
      contributions: number;
      verifiedFocalPoints: number;
      byGroup: { key: string; contributions: number }[];
    };
    mostDiscussed: { label: string; published: number; amendments: number }[];
    changes: { from: number; to: number } | null;
    document: { id: string };
  };
}

function ReportView({ id, session }: { id: string; session: Session | null }) {
  const { t } = useTranslation();
  const r = useLoad(() => api<ReportDetail>(`/api/reports/${id}`), [id]);
  if (r.error) return <ErrorNote error={r.error} />;
  if (!r.data) return <Loading />;
  const d = r.data.data;
  return (
    <div className="report" data-testid="report">
      <p>{t('reportHeadline', d.participation)}</p>
      <div className="charts">
        {CHARTS.map((c) => (
          <figure key={c}>
            <img src={`/api/reports/${id}/charts/${c}`} alt={t(`charts.${c}`)} loading="lazy" />
            <figcaption>{t(`charts.${c}`)}</figcaption>
          </figure>
        ))}
      </div>
      {d.participation.byGroup.length > 0 && (
        <details>
          <summary>{t('chartData')}</summary>
          <table>
            <caption className="sr-only">{t('charts.byGroup')}</caption>
            <tbody>
              {d.participation.byGroup.map((g) => (
                <tr key={g.key}>
                  <th scope="row">{t(`groups.${g.key}`)}</th>
                  <td>{g.contributions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {d.mostDiscussed.length > 0 && (
        <p>
          {t('mostDiscussed')}:{' '}
          {d.mostDiscussed
            .slice(0, 5)
            .map((p) => `¶${p.label} (${p.published})`)
            .join(', ')}
        </p>
      )}
      <ul className="downloads" data-testid="exports">
        {FORMATS.map((f) => (
          <li key={f}>
            <DownloadLink href={`/api/reports/${id}/export?format=${f}`} signedIn={!!session}>
              {t('download', { format: f.toUpperCase() })}
            </DownloadLink>
          </li>
        ))}
        {d.changes && (
          <li>
            <DownloadLink
              href={`/api/documents/${d.document.id}/diff?from=${d.changes.from}&to=${d.changes.to}&format=docx`}
              signedIn={!!session}
            >
              {t('trackedChanges')}
            </DownloadLink>
          </li>
        )}
      </ul>
    </div>
  );
}
