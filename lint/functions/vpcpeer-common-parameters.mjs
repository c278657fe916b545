/**
 * vpcpeer-common-parameters (resolved document, given `$.paths`)
 *
 * Every path item carries, in its path-level `parameters`, the full set of common request
 * parameters of both signing styles: V1 (query) and V3 (headers).
 */
import { isObject, pathItems } from '../lib/openapi.mjs';

export const COMMON_PARAMETERS = [
  ['Action', 'query'],
  ['x-acs-action', 'header'],
  ['Version', 'query'],
  ['Format', 'query'],
  ['AccessKeyId', 'query'],
  ['SignatureMethod', 'query'],
  ['SignatureVersion', 'query'],
  ['SignatureNonce', 'query'],
  ['Timestamp', 'query'],
  ['SecurityToken', 'query'],
  ['x-acs-version', 'header'],
  ['x-acs-date', 'header'],
  ['x-acs-signature-nonce', 'header'],
  ['x-acs-content-sha256', 'header'],
  ['x-acs-security-token', 'header'],
];

export default function vpcpeerCommonParameters(paths) {
  const results = [];
  for (const { label, item, path } of pathItems(paths)) {
    const list = Array.isArray(item.parameters) ? item.parameters : [];
    const present = new Set(list.filter(isObject).map((p) => `${p.in}:${p.name}`));
    for (const [name, location] of COMMON_PARAMETERS) {
      if (present.has(`${location}:${name}`)) continue;
      results.push({
        message: `${label}: the path-level parameters lack the common ${location} parameter "${name}".`,
        path: Array.isArray(item.parameters) ? [...path, 'parameters'] : path,
      });
    }
  }
  return results;
}
