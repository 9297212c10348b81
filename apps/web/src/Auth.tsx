import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, post, STAKEHOLDER_GROUPS } from './api';
import { countries, type Session, signIn } from './session';

/** Sign in, or register (stakeholder group, organisation, country from a searchable list, capacity) and sign in. */
export function Auth({ onSession }: { onSession: (s: Session) => void }) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<'signin' | 'register'>('signin');
  const [error, setError] = useState<string | null>(null);
  const list = countries(i18n.language);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const f = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    try {
      if (mode === 'register') {
        const country = list.find((c) => c.name === f.country || c.code === f.country.toUpperCase())?.code ?? f.country;
        await post('/api/auth/register', {
          email: f.email,
          password: f.password,
          displayName: f.displayName,
          stakeholderGroup: f.group,
          organisation: f.organisation,
          country,
          capacity: f.capacity,
        });
      }
      onSession(await signIn(f.email, f.password));
    } catch (err) {
      setError(errorText(err, t('unreachable')));
    }
  }

  return (
    <section aria-labelledby="auth-title" className="panel">
      <h2 id="auth-title">{mode === 'signin' ? t('signIn') : t('register')}</h2>
      <form onSubmit={submit}>
        <label>
          {t('email')} <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {t('password')}{' '}
          <input
            name="password"
            type="password"
            autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
            minLength={12}
            required
          />
        </label>
        {mode === 'register' && (
          <>
            <label>
              {t('displayName')} <input name="displayName" autoComplete="name" required />
            </label>
            <label>
              {t('group')}{' '}
              <select name="group" required defaultValue="">
                <option value="" disabled />
                {STAKEHOLDER_GROUPS.map((g) => (
                  <option key={g} value={g}>
                    {t(`groups.${g}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('organisation')} <input name="organisation" autoComplete="organization" required />
            </label>
            <label>
              {t('country')} <input name="country" list="countries" autoComplete="country-name" required />
            </label>
            <datalist id="countries">
              {list.map((c) => (
                <option key={c.code} value={c.name} />
              ))}
            </datalist>
            <fieldset>
              <legend>{t('capacity')}</legend>
              <label>
                <input type="radio" name="capacity" value="personal" defaultChecked /> {t('personal')}
              </label>
              <label>
                <input type="radio" name="capacity" value="representative" /> {t('representative')}
              </label>
            </fieldset>
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit">{mode === 'signin' ? t('signIn') : t('register')}</button>{' '}
        <button type="button" className="link" onClick={() => setMode(mode === 'signin' ? 'register' : 'signin')}>
          {mode === 'signin' ? t('register') : t('signIn')}
        </button>
      </form>
    </section>
  );
}
