/**
 * Generated test data: ordinary contributions from a vocabulary, and a form-letter campaign (one template, each copy
 * with a few small edits). Used by the accuracy test and by bench/clusters.
 */
const WORDS = (
  'access affordable broadband capacity building cooperation data digital divide development education enhanced ' +
  'environment financing gender governance inclusion infrastructure innovation internet literacy local multilingual ' +
  'multistakeholder network open participation policy privacy protection regional regulation research resilience rights ' +
  'rural security skills small sustainable technology trust universal women youth community indigenous public private ' +
  'sector civil society academia technical standards interoperability spectrum satellite mobile energy climate health ' +
  'agriculture trade investment taxation competition consumer cybersecurity identity platforms content moderation ' +
  'accountability transparency evaluation indicators targets monitoring review national strategy implementation'
).split(' ');

export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export function ordinaryText(r: () => number): string {
  const n = 25 + Math.floor(r() * 60);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  return `${words.join(' ')}.`;
}

export const CAMPAIGN_TEMPLATE =
  'As a member of the Coalition for an Open Internet I urge the secretariat to strengthen paragraph 15 so that ' +
  'community networks and small operators receive fair access to spectrum, public funding and backhaul at cost. ' +
  'Without these commitments the digital divide between urban and rural areas will keep growing, and the vision ' +
  'will remain a promise on paper. Please add an explicit target for 2030 and a review mechanism with civil society.';

const EDITS = ['strongly', 'really', 'also', 'kindly', 'therefore', 'truly', 'urgently', 'respectfully'];
const NAMES = ['Amina', 'Jorge', 'Mei', 'Olu', 'Sara', 'Ivan', 'Priya', 'Tomas', 'Leila', 'Kwame'];

/** A copy of the template with 1-4 small edits: a word inserted or dropped, a signature line, a changed greeting. */
export function campaignCopy(r: () => number): string {
  const words = CAMPAIGN_TEMPLATE.split(' ');
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * words.length);
    const kind = r();
    if (kind < 0.4) words.splice(at, 0, EDITS[Math.floor(r() * EDITS.length)]);
    else if (kind < 0.7) words.splice(at, 1);
    else words[at] = words[at].toUpperCase();
  }
  const greeting = r() < 0.5 ? 'Dear Chair, ' : '';
  const signature = r() < 0.6 ? ` Regards, ${NAMES[Math.floor(r() * NAMES.length)]}` : '';
  return `${greeting}${words.join(' ')}${signature}`;
}
