/**
 * Quality gates: a verified template is proposed only when a person would adopt it. Libraries of distinct functions
 * written in one style (lodash, rxjs operators, ajv keywords) verify too — anything verifies with enough variables
 * and sections — but as a skeleton of holes that saves almost nothing. Three measures tell them from families:
 * - **savings** (`rank.ts`): `1 − (template + answers) / members`, in bytes;
 * - **variables per member**: template variables (flags and lists included) / verified members;
 * - **fixed share**: the share of the template's characters that are literal text rather than `{{…}}` tags.
 *
 * Defaults were set on the bench corpus (`npm run bench:patterns`): every positive family passes with room
 * (AWS commands save 87–94 % with 0.02–0.4 variables per member; the 10,750 MUI icons save 33 % with a template
 * that is 29 % fixed text, its paths and circles being optional and repeated sections), while the false families of
 * the negative controls save 15 % or less, need more variables than members, or are mostly tags (lodash's
 * 209-member one: 6 % savings, 16 % fixed text).
 */
import { MetarepoError } from '../core/errors.js';
import { createHandlebars } from '../templates/handlebars.js';

/** The gates; each proposal must pass all three. */
export interface QualityGates {
  /** Least savings, 0–1. Default 0.25. */
  minSavings: number;
  /** Most variables per verified member. Default 2. */
  maxVariablesPerMember: number;
  /** Least share of the template that is literal text, 0–1. Default 0.2. */
  minFixedShare: number;
}

/** Defaults of {@link QualityGates}. */
export const DEFAULT_GATES: QualityGates = { minSavings: 0.25, maxVariablesPerMember: 2, minFixedShare: 0.2 };

/** Where each gate is set: the `metarepo.yaml` key and the command-line flag. */
const SETTING: Record<keyof QualityGates, { key: string; flag: string }> = {
  minSavings: { key: 'patterns.gates.minSavings', flag: '--min-savings' },
  maxVariablesPerMember: { key: 'patterns.gates.maxVariablesPerMember', flag: '--max-variables-per-member' },
  minFixedShare: { key: 'patterns.gates.minFixedShare', flag: '--min-fixed-share' },
};

/**
 * The gates with `overrides` applied (undefined entries keep the default).
 * @throws MetarepoError (exit 2) for a value that is not a finite number ≥ 0 (and ≤ 1 for the two shares).
 */
export function resolveGates(...overrides: Array<Partial<QualityGates> | undefined>): QualityGates {
  const out = { ...DEFAULT_GATES };
  for (const o of overrides) {
    for (const [k, v] of Object.entries(o ?? {}) as Array<[keyof QualityGates, number | undefined]>) {
      if (v === undefined || !(k in SETTING)) continue;
      const share = k !== 'maxVariablesPerMember';
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (share && v > 1)) {
        throw new MetarepoError(`${SETTING[k].flag} (${SETTING[k].key}) must be a number ${share ? 'from 0 to 1' : 'of at least 0'} (got ${typeof v === "number" ? String(v) : JSON.stringify(v)}).`, {
          hint: `The default is ${DEFAULT_GATES[k]}; see docs/patterns.md, "Quality gates".`,
        });
      }
      out[k] = v;
    }
  }
  return out;
}

let hb: ReturnType<typeof createHandlebars> | undefined;

/** Share of `template`'s characters that are literal text (content statements), 0–1; 1 for an empty template. */
export function fixedShare(template: string): number {
  if (template.length === 0) return 1;
  interface Node { type: string; value?: string; program?: { body: Node[] }; inverse?: { body: Node[] } }
  let fixed = 0;
  const visit = (body: Node[]) => {
    for (const n of body) {
      if (n.type === 'ContentStatement') fixed += n.value?.length ?? 0;
      if (n.program) visit(n.program.body);
      if (n.inverse) visit(n.inverse.body);
    }
  };
  visit((hb ??= createHandlebars()).parse(template).body as unknown as Node[]);
  return Math.min(1, fixed / template.length);
}

/** What the gates measure on a proposal. */
export interface GateFigures {
  savings: number;
  variables: number;
  members: number;
  template: string;
}

/** Why a proposal fails the gates (one sentence per failed gate, naming the setting); empty when it passes. */
export function gateFailures(p: GateFigures, gates: QualityGates): string[] {
  const out: string[] = [];
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const where = (k: keyof QualityGates) => `${SETTING[k].key}, ${SETTING[k].flag}`;
  if (p.savings < gates.minSavings) out.push(`it saves ${pct(p.savings)}, less than ${pct(gates.minSavings)} (${where('minSavings')})`);
  const perMember = p.variables / Math.max(1, p.members);
  if (perMember > gates.maxVariablesPerMember) {
    out.push(`it needs ${p.variables} variables for ${p.members} members, more than ${gates.maxVariablesPerMember} per member (${where('maxVariablesPerMember')})`);
  }
  const share = fixedShare(p.template);
  if (share < gates.minFixedShare) out.push(`${pct(share)} of its template is fixed text, less than ${pct(gates.minFixedShare)} (${where('minFixedShare')})`);
  return out;
}
