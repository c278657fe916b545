/**
 * The signing and dispatch names of the contract, read from its common (path-level) parameters:
 * which query parameter and header carry the Action and the version (the ones whose schema is
 * `const` the Action name / the API version), and the part each signing parameter plays
 * (`x-acs-signing`), for V1 (in the query) and V3 (in a header). Browser-safe: no Node imports.
 */
import type { JsonSchema, OpenApiDocument } from './model.ts';

/** The parts a parameter plays in signing (`x-acs-signing` values). */
export const SIGNING_ROLES = ['access-key-id', 'signature-method', 'signature-version', 'nonce', 'timestamp', 'security-token', 'content-sha256'] as const;
export type SigningRole = (typeof SIGNING_ROLES)[number];

export interface DispatchNames {
  /** Query parameter (V1, or a form field) and header (V3) that name the Action. */
  action: { query: string; header: string };
  /** Query parameter and header that carry the API version. */
  version: { query: string; header: string };
}

export interface SigningNames {
  dispatch: DispatchNames;
  /** V1 (HMAC-SHA1): signing query parameters by role. */
  v1: Partial<Record<SigningRole, string>>;
  /** V3 (ACS3-HMAC-SHA256): signing headers (lower case) by role. */
  v3: Partial<Record<SigningRole, string>>;
  /** The `const` value of a V1 parameter's schema by role, e.g. `signature-method` → `HMAC-SHA1`. */
  v1Values: Partial<Record<SigningRole, string>>;
}

/** Reads the names from every path item's common parameters (they are the same for every Action). */
export function signingNamesOf(document: OpenApiDocument, deref: (node: unknown) => JsonSchema, version: string): SigningNames {
  const v1: SigningNames['v1'] = {};
  const v3: SigningNames['v3'] = {};
  const v1Values: SigningNames['v1Values'] = {};
  const dispatch: Partial<Record<'action' | 'version', { query?: string; header?: string }>> = {};
  for (const [pathKey, item] of Object.entries((document.paths ?? {}) as Record<string, JsonSchema>)) {
    const action = pathKey.slice(pathKey.indexOf('=') + 1);
    for (const raw of (deref(item).parameters as unknown[] | undefined) ?? []) {
      const param = deref(raw);
      const name = String(param.name);
      const place = param.in === 'header' ? 'header' : 'query';
      const schema = deref(param.schema);
      const role = param['x-acs-signing'];
      if (role !== undefined) {
        if (!(SIGNING_ROLES as readonly unknown[]).includes(role)) throw new Error(`${name}: x-acs-signing must be one of ${SIGNING_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
        const table = place === 'header' ? v3 : v1;
        const known = table[role as SigningRole];
        if (known !== undefined && known !== name) throw new Error(`x-acs-signing ${String(role)} is played by both ${known} and ${name}`);
        table[role as SigningRole] = place === 'header' ? name.toLowerCase() : name;
        if (place === 'query' && typeof schema.const === 'string') v1Values[role as SigningRole] = schema.const;
        continue;
      }
      const kind = schema.const === action ? 'action' : schema.const === version ? 'version' : undefined;
      if (kind) (dispatch[kind] ??= {})[place] = place === 'header' ? name.toLowerCase() : name;
    }
  }
  const pair = (kind: 'action' | 'version') => {
    const found = dispatch[kind];
    if (!found?.query || !found.header) throw new Error(`The common parameters name no query parameter and header whose schema is const the ${kind === 'action' ? 'Action' : 'version'}`);
    return { query: found.query, header: found.header };
  };
  return { dispatch: { action: pair('action'), version: pair('version') }, v1, v3, v1Values };
}
