import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DISPOSITIONS, put } from './api';
import { ErrorNote, useAction } from './ui';

export interface ParagraphOption {
  id: string;
  label: string;
  version: number;
}

/**
 * The secretariat's answer to a contribution (or a whole cluster): the disposition, the response published in the
 * matrix and, for accepted text, the paragraph of a later version that carries it (left empty, it is found by lineage
 * when the revision is published).
 */
export function DispositionEditor({
  path,
  value,
  response,
  resultingParagraphId,
  laterParagraphs,
  onSaved,
  compact,
}: {
  path: string;
  value: string | null;
  response: string | null;
  resultingParagraphId: string | null;
  laterParagraphs: ParagraphOption[];
  onSaved: () => Promise<void> | void;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const resulting = String(f.get('resulting') ?? '');
    void action.run(async () => {
      await put(path, {
        disposition: f.get('disposition'),
        response: String(f.get('response') ?? ''),
        ...(resulting ? { resultingParagraphId: resulting } : {}),
      });
      await onSaved();
      setSaved(true);
    });
  };
  return (
    <form
      onSubmit={submit}
      className={compact ? 'disposition-form compact' : 'disposition-form'}
      onChange={() => setSaved(false)}
    >
      <label>
        {t('disposition')}{' '}
        <select name="disposition" defaultValue={value ?? ''} required>
          <option value="" disabled>
            {t('choose')}
          </option>
          {DISPOSITIONS.map((d) => (
            <option key={d} value={d}>
              {t(`dispositions.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('response')}{' '}
        <textarea name="response" defaultValue={response ?? ''} rows={compact ? 2 : 3} maxLength={5000} />
      </label>
      {laterParagraphs.length > 0 && (
        <label>
          {t('resultingParagraphLabel')}{' '}
          <select name="resulting" defaultValue={resultingParagraphId ?? ''}>
            <option value="">{t('byLineage')}</option>
            {laterParagraphs.map((p) => (
              <option key={p.id} value={p.id}>
                ¶{p.label} (v{p.version})
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="small" disabled={action.busy}>
        {t('save')}
      </button>
      {saved && (
        <span role="status" className="saved">
          {' '}
          {t('saved')}
        </span>
      )}
      <ErrorNote error={action.error} />
    </form>
  );
}
