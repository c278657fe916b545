/**
 * "How a real request is formed" for one Action, read from the bundle: where the Action,
 * the version and each parameter travel, the signing parameters of both styles, and two example
 * HTTP requests (V3 and V1) built from the operation's own examples with the wire codec of
 * src/wire, the one the client and the servers use.
 */
import { createHash } from 'node:crypto';
import { encodeParams, formEncode, formEncodeComponent, type WirePairs } from '../wire/codec.ts';
import type { Contract, ParameterSpec } from '../contract/model.ts';
import { deref, isObj, type ActionOperation, type Obj } from './openapi.ts';

export interface RequestParam {
  name: string;
  /** `query` or `body` (form field of the `application/x-www-form-urlencoded` body). */
  in: 'query' | 'body' | 'header';
  required: boolean;
  /** How the name looks on the wire, e.g. `Tag.N.Key`, `Tag.N.Value` or `VpcId=a,b`. */
  wireNames: string[];
  example: unknown;
}

export interface RequestForm {
  action: string;
  method: string;
  url: string;
  host: string;
  version: string;
  /** Name of the query parameter and of the header that carry the Action (V1 / V3). */
  actionQuery: string;
  actionHeader: string;
  versionQuery: string;
  versionHeader: string;
  params: RequestParam[];
  bodyMediaType: string | undefined;
  /** V1: the signing query parameters; V3: the signing headers (besides action and version). */
  v1Signing: string[];
  v3Signing: string[];
  v1AuthParam: string;
  v3AuthHeader: string;
  /** Signing names sent only with STS credentials (`x-acs-signing: security-token`): left out of the examples. */
  stsOnly: string[];
  ramAction: string | undefined;
  operationType: string | undefined;
  async: boolean;
  v3Example: string;
  v1Example: string;
}

const FORM = 'application/x-www-form-urlencoded';
/** Whether a common parameter is sent only with STS credentials. */
const isStsOnly = (p: Obj): boolean => p['x-acs-signing'] === 'security-token';

function schemaOf(doc: unknown, param: Obj): Obj {
  const s = deref(doc, param.schema);
  return isObj(s) ? s : {};
}

function exampleOf(doc: unknown, holder: Obj, schema: Obj): unknown {
  if (holder.example !== undefined) return holder.example;
  if (Array.isArray(holder.examples) && holder.examples.length > 0) return holder.examples[0];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.type === 'array') {
    const items = deref(doc, schema.items);
    if (isObj(items)) {
      const one = exampleOf(doc, {}, items);
      if (one !== undefined) return [one];
    }
  }
  if (schema.type === 'object' && isObj(schema.properties)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(schema.properties)) {
      const ps = deref(doc, v);
      if (isObj(ps)) out[k] = exampleOf(doc, ps, ps);
    }
    return out;
  }
  return undefined;
}

/** How a parameter's name looks on the wire: `Tag.N.Key`, `ResourceId.N`, `VpcId=a,b`. */
export function wireNamesOf(spec: ParameterSpec): string[] {
  if (spec.listStyle === 'simple') return [`${spec.name}=a,b`];
  if (spec.listStyle === 'repeatList') {
    return spec.itemFields !== undefined ? spec.itemFields.map((f) => `${spec.name}.N.${f}`) : [`${spec.name}.N`];
  }
  return [spec.name];
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function describeRequest(doc: unknown, op: ActionOperation, contract: Contract): RequestForm {
  const root = isObj(doc) ? doc : {};
  const servers = Array.isArray(root.servers) ? root.servers : [];
  const firstServer = isObj(servers[0]) && typeof servers[0].url === 'string' ? servers[0].url : 'https://vpcpeer.aliyuncs.com';
  const url = `${firstServer.replace(/\/+$/, '')}/`;
  const host = new URL(url).host;

  const common = (Array.isArray(op.pathItem.parameters) ? op.pathItem.parameters : [])
    .map((p) => deref(doc, p))
    .filter(isObj);
  const own = (Array.isArray(op.operation.parameters) ? op.operation.parameters : []).map((p) => deref(doc, p)).filter(isObj);

  const byConst = (where: string, value: string): Obj | undefined =>
    common.find((p) => p.in === where && schemaOf(doc, p).const === value);
  const actionQueryParam = byConst('query', op.action);
  const actionHeaderParam = byConst('header', op.action);
  const info = isObj(root.info) ? root.info : {};
  const infoVersion = typeof info.version === 'string' ? info.version : '';
  const versionQueryParam = byConst('query', infoVersion) ?? common.find((p) => p.in === 'query' && p.name === 'Version');
  const versionHeaderParam = byConst('header', infoVersion) ?? common.find((p) => p.in === 'header' && p.name === 'x-acs-version');
  const version = String(schemaOf(doc, versionQueryParam ?? {}).const ?? infoVersion);
  const special = new Set([actionQueryParam, actionHeaderParam, versionQueryParam, versionHeaderParam]);

  const schemes = isObj(root.components) && isObj(root.components.securitySchemes) ? root.components.securitySchemes : {};
  const schemeName = (key: string, fallback: string): string => {
    const s = schemes[key];
    return isObj(s) && typeof s.name === 'string' ? s.name : fallback;
  };
  const v1AuthParam = schemeName('AcsV1', 'Signature');
  const v3AuthHeader = schemeName('AcsV3', 'Authorization');
  const v1Common = common.filter((p) => p.in === 'query' && !special.has(p));
  const v3Common = common.filter((p) => p.in === 'header' && !special.has(p));

  // The operation's own parameters, as the wire layer reads them, each with an example value:
  // the first named example of the form body, or the parameter's own example.
  const spec = contract.operations.get(op.action);
  if (spec === undefined) throw new Error(`The wire contract has no Action ${op.action}.`);
  const body = deref(doc, op.operation.requestBody);
  const content = isObj(body) && isObj(body.content) ? body.content : {};
  const bodyMediaType = Object.keys(content)[0];
  const media = bodyMediaType !== undefined ? content[bodyMediaType] : undefined;
  const bodySchema = isObj(media) ? deref(doc, media.schema) : undefined;
  const bodyProps = isObj(bodySchema) && isObj(bodySchema.properties) ? bodySchema.properties : {};
  const bodyExamples = isObj(media) && isObj(media.examples) ? Object.values(media.examples).map((e) => deref(doc, e)) : [];
  const bodyExample = bodyExamples.find((e): e is Obj => isObj(e) && isObj(e.value));
  const bodyExampleValue = bodyExample !== undefined && isObj(bodyExample.value) ? bodyExample.value : undefined;

  const params: RequestParam[] = [];
  const exampleParams: Record<string, unknown> = {};
  for (const p of spec.parameters) {
    let example: unknown;
    if (p.placement === 'body') {
      const raw = bodyProps[p.name];
      example = bodyExampleValue !== undefined ? bodyExampleValue[p.name] : p.required ? exampleOf(doc, isObj(raw) ? raw : {}, p.schema) : undefined;
    } else {
      const raw = own.find((x) => x.name === p.name && (x.in === 'header') === (p.placement === 'header'));
      example = exampleOf(doc, raw ?? {}, p.schema);
    }
    params.push({ name: p.name, in: p.placement, required: p.required, wireNames: wireNamesOf(p), example });
    // Optional query parameters without an example, and every header, stay out of the example.
    if (example !== undefined && p.placement !== 'header') exampleParams[p.name] = example;
  }
  let encoded: { query: WirePairs; body: WirePairs };
  try {
    encoded = encodeParams(spec, exampleParams, 'POST');
  } catch (error) {
    throw new Error(`${op.action}: the example request cannot be encoded: ${(error as Error).message}`);
  }
  const queryPairs = encoded.query;
  const bodyText = formEncode(encoded.body);
  const method = op.method.toUpperCase();
  const contentType = encoded.body.length > 0 && bodyMediaType !== undefined ? bodyMediaType : undefined;

  const exampleText = (p: Obj): string => scalar(exampleOf(doc, p, schemaOf(doc, p)) ?? `<${String(p.name)}>`);
  const sha = createHash('sha256').update(bodyText).digest('hex');
  const v3Headers: Array<[string, string]> = [
    [String(actionHeaderParam?.name ?? 'x-acs-action'), op.action],
    [String(versionHeaderParam?.name ?? 'x-acs-version'), version],
    ...v3Common
      .filter((p) => !isStsOnly(p))
      .map((p): [string, string] => [String(p.name), /sha256/i.test(String(p.name)) ? sha : exampleText(p)]),
  ];
  const signed = ['host', ...(contentType !== undefined ? ['content-type'] : []), ...v3Headers.map(([k]) => k.toLowerCase())].sort();
  const head = (query: string): string[] => [
    `${method} /${query.length > 0 ? `?${query}` : ''} HTTP/1.1`,
    `Host: ${host}`,
    ...(contentType !== undefined ? [`Content-Type: ${contentType}`] : []),
  ];
  const tail = bodyText.length > 0 ? ['', bodyText] : [];
  const v3Example = [
    ...head(formEncode(queryPairs)),
    ...v3Headers.map(([k, v]) => `${k}: ${v}`),
    `${v3AuthHeader}: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=${signed.join(';')},Signature=<hex HMAC-SHA256>`,
    ...tail,
  ].join('\n');
  const v1Pairs: WirePairs = [
    [String(actionQueryParam?.name ?? 'Action'), op.action],
    [String(versionQueryParam?.name ?? 'Version'), version],
    ...v1Common.filter((p) => !isStsOnly(p)).map((p): [string, string] => [String(p.name), exampleText(p)]),
    ...queryPairs,
  ];
  const v1Example = [
    ...head(`${formEncode(v1Pairs)}&${formEncodeComponent(v1AuthParam)}=<Base64 HMAC-SHA1>`),
    ...tail,
  ].join('\n');

  return {
    stsOnly: common.filter(isStsOnly).map((p) => String(p.name)),
    action: op.action,
    method,
    url,
    host,
    version,
    actionQuery: String(actionQueryParam?.name ?? 'Action'),
    actionHeader: String(actionHeaderParam?.name ?? 'x-acs-action'),
    versionQuery: String(versionQueryParam?.name ?? 'Version'),
    versionHeader: String(versionHeaderParam?.name ?? 'x-acs-version'),
    params,
    bodyMediaType: bodyMediaType ?? (params.some((p) => p.in === 'body') ? FORM : undefined),
    v1Signing: v1Common.map((p) => String(p.name)),
    v3Signing: v3Common.map((p) => String(p.name)),
    v1AuthParam,
    v3AuthHeader,
    ramAction: typeof op.operation['x-acs-ram-action'] === 'string' ? op.operation['x-acs-ram-action'] : undefined,
    operationType: typeof op.operation['x-acs-operation-type'] === 'string' ? op.operation['x-acs-operation-type'] : undefined,
    async: op.operation['x-acs-async'] === true,
    v3Example,
    v1Example,
  };
}
