import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, post, type Consultation } from './api';
import { DispositionEditor } from './Dispositions';
import type { Session } from './session';
import { ErrorNote, Loading, useAction, useLoad } from './ui';

interface Cluster {
  id: string;
  kind: string;
  status: string;
  count: number;
  representative: { id: string; trackingNumber: string; body: string; proposedText: string | null };
  signatories: { byGroup: Record<string, number>; byRegion: Record<string, number>; byCountry: Record<string, number> };
  members: {
    id: string;
    trackingNumber: string;
    status: string;
    authorName: string;
    organisation: string;
    group: string;
    region: string;
    country: string;
    similarity: number;
  }[];
  confirmedAt: string | null;
}

const tally = (m: Record<string, number>, name: (k: string) => string) =>
  Object.entries(m)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${name(k)} ${n}`)
    .join(', ');

/** Duplicates and campaigns: the representative text, who signed, confirm as one counted entry, or split. */
export function Clusters({ consultation }: { consultation: Consultation; session: Session | null }) {
  const { t } = useTranslation();
  const list = useLoad(() => api<Cluster[]>(`/api/consultations/${consultation.id}/clusters`), [consultation.id]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [rebuilt, setRebuilt] = useState<string | null>(null);
  const action = useAction();
  const recompute = () =>
    action.run(async () => {
      const r = await post<{ fingerprinted: number; clusters: number; members: number; ms: number }>(
        `/api/consultations/${consultation.id}/clusters/recompute`,
        {},
      );
      setRebuilt(
        t('rebuilt', { fingerprinted: r.fingerprinted, clusters: r.clusters, seconds: (r.ms / 1000).toFixed(1) }),
      );
      await list.reload();
    });
  return (
    <section aria-labelledby="clusters-title">
      <h2 id="clusters-title">{t('nav.clusters')}</h2>
      <p className="meta">{t('clustersIntro')}</p>
      <p>
        <button type="button" onClick={() => void recompute()} disabled={action.busy}>
          {action.busy ? t('working') : t('recompute')}
        </button>
        {rebuilt && (
          <span role="status" className="saved">
            {' '}
            {rebuilt}
          </span>
        )}
      </p>
      <ErrorNote error={list.error ?? action.error} />
      {!list.data ? (
        !list.error && <Loading />
      ) : !list.data.length ? (
        <p className="empty">{t('noClusters')}</p>
      ) : (
        <ul className="cards">
          {list.data.map((k) => (
            <li key={k.id} data-testid="cluster">
              <p className="meta">
                <strong>{t('copies', { count: k.count })}</strong> · {t(`clusterKinds.${k.kind}`)}{' '}
                <span className="tag">{t(`clusterStatus.${k.status}`)}</span>
              </p>
              <blockquote>{k.representative.body}</blockquote>
              <p className="meta">{tally(k.signatories.byGroup, (g) => t(`groups.${g}`))}</p>
              <button
                type="button"
                className="link"
                aria-expanded={openId === k.id}
                onClick={() => setOpenId(openId === k.id ? null : k.id)}
              >
                {openId === k.id ? t('hideMembers') : t('reviewMembers', { count: k.count })}
              </button>
              {openId === k.id && <ClusterDetail id={k.id} onChanged={list.reload} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ClusterDetail({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const k = useLoad(() => api<Cluster>(`/api/clusters/${id}`), [id]);
  const [out, setOut] = useState<Set<string>>(new Set());
  const action = useAction();
  const changed = async () => {
    setOut(new Set());
    await k.reload();
    await onChanged();
  };
  if (k.error) return <ErrorNote error={k.error} />;
  if (!k.data) return <Loading />;
  const c = k.data;
  return (
    <div className="panel">
      <p className="meta">
        {t('byRegion')}: {tally(c.signatories.byRegion, (r) => r.replace(/_/g, ' '))}
      </p>
      <table>
        <caption className="sr-only">{t('membersOf', { tracking: c.representative.trackingNumber })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('splitOut')}</th>
            <th scope="col">{t('col.id')}</th>
            <th scope="col">{t('col.submitter')}</th>
            <th scope="col">{t('similarity')}</th>
          </tr>
        </thead>
        <tbody>
          {c.members.map((m) => (
            <tr key={m.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('select', { tracking: m.trackingNumber })}
                  checked={out.has(m.id)}
                  disabled={c.status === 'dissolved'}
                  onChange={() => setOut((s) => (s.has(m.id) ? (s.delete(m.id), new Set(s)) : new Set(s.add(m.id))))}
                />
              </td>
              <td>{m.trackingNumber}</td>
              <td>
                {m.authorName} ({m.organisation}, {t(`groups.${m.group}`)}, {m.country})
              </td>
              <td>{Math.round(m.similarity * 100)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={action.error} />
      <p className="actions">
        {c.status === 'suggested' && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => (await post(`/api/clusters/${id}/confirm`, {}), await changed()))
            }
          >
            {t('confirmCluster')}
          </button>
        )}
        <button
          type="button"
          disabled={!out.size || action.busy}
          onClick={() =>
            void action.run(
              async () => (await post(`/api/clusters/${id}/split`, { contributionIds: [...out] }), await changed()),
            )
          }
        >
          {t('splitSelected', { count: out.size })}
        </button>
      </p>
      <h4>{t('answerAll')}</h4>
      <DispositionEditor
        path={`/api/clusters/${id}/disposition`}
        value={null}
        response={null}
        resultingParagraphId={null}
        laterParagraphs={[]}
        onSaved={changed}
      />
    </div>
  );
}
