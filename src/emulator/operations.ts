/**
 * What each Action does to the emulator's state, after the request passed the contract's
 * validators. Every error is a code the contract documents for that Action.
 *
 * Allow-matrix (the facts leave it open; see the README):
 *
 * | Call    | Who may call it                    | Statuses it accepts                              |
 * | ------- | ---------------------------------- | ------------------------------------------------ |
 * | Accept  | the accepter of a cross-account one | `Accepting`                                     |
 * | Reject  | the accepter of a cross-account one | `Accepting`                                     |
 * | Modify  | the owner (requester)              | `Activated`                                      |
 * | Delete  | either party                       | `Activated`, `Accepting`, `Rejected`, `Expired`  |
 * | Get/List| either party                       | every status, `Deleted` until it is gone         |
 * | Tag/UnTag/ListTag/MoveResourceGroup | either party, on its own side | every status but `Deleting`/`Deleted` |
 *
 * Anything else in the wrong status is `IncorrectStatus.VpcPeer`; the other party calling an
 * owner-only or accepter-only operation is `Forbidden.RAM`; an account that is not a party sees
 * nothing (`ResourceNotFound.InstanceId` and the like, never a hint that the ID exists).
 */
import type { Contract } from '../contract/model.ts';
import { utc } from './clock.ts';
import { toJson } from './json.ts';
import type { Account, EmulatorConfig, SeedVpc } from './config.ts';
import { isInterRegion, isLive, pairKey, type Connection, type Side, type Status, type Store, type Tag } from './store.ts';

export interface Call {
  account: Account;
  params: Record<string, unknown>;
  /** Exact decimal text of integer parameters (int64 UIDs). */
  exact: Map<string, string>;
}

export type Outcome =
  /** `json`, when set, is the body already serialised (object text without RequestId). */
  | { ok: true; body: Record<string, unknown>; json?: string }
  | { ok: false; code: string; fill?: string[]; detail?: string };

const fail = (code: string, fill: string[] = [], detail?: string): Outcome => ({ ok: false, code, fill, ...(detail && { detail }) });
const success = (body: Record<string, unknown> = {}): Outcome => ({ ok: true, body });

/** Actions that take a ClientToken (idempotent) and a DryRun flag. */
const TOKEN_ACTIONS = new Set(['CreateVpcPeerConnection', 'AcceptVpcPeerConnection', 'RejectVpcPeerConnection', 'DeleteVpcPeerConnection', 'ModifyVpcPeerConnection', 'TagResources', 'UnTagResources']);

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function newInstanceId(exists: (id: string) => boolean): string {
  for (;;) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(20));
    let id = 'pcc-';
    for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
    if (!exists(id)) return id;
  }
}

/** Canonical text of a request's parameters, for ClientToken comparison. */
function fingerprint(params: Record<string, unknown>): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  const { ClientToken: _t, DryRun: _d, ...rest } = params;
  return JSON.stringify(sorted(rest));
}

/** Base64url paging token over a number (a sequence number or an offset). */
function encodeToken(kind: string, n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64url');
}
function decodeToken(kind: string, token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = new RegExp(`^${kind}:(\\d{1,15})$`).exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface VpcRecord {
  uid: string;
  region: string;
  vpc: SeedVpc;
}

export class Operations {
  readonly store: Store;
  config: EmulatorConfig;
  readonly #regions: Set<string>;
  #vpcs = new Map<string, VpcRecord>();
  #groups = new Map<string, string[]>();

  constructor(contract: Contract, store: Store, config: EmulatorConfig) {
    this.store = store;
    this.config = config;
    const regionSchema = (contract.document.components as { schemas: Record<string, { 'x-acs-endpoint-regions'?: string[] }> }).schemas.RegionId;
    this.#regions = new Set(regionSchema?.['x-acs-endpoint-regions'] ?? []);
    this.loadWorld();
  }

  /** (Re)indexes the configured world's VPCs and resource groups. */
  loadWorld(): void {
    this.#vpcs = new Map();
    this.#groups = new Map();
    for (const [uid, account] of Object.entries(this.config.world.accounts)) {
      this.#groups.set(uid, account.resourceGroups);
      for (const [region, vpcs] of Object.entries(account.vpcs)) {
        for (const vpc of vpcs) this.#vpcs.set(vpc.VpcId, { uid, region, vpc });
      }
    }
  }

  defaultGroup(uid: string): string {
    return this.#groups.get(uid)?.[0] ?? `rg-default-${uid}`;
  }

  hasGroup(uid: string, group: string): boolean {
    return group === this.defaultGroup(uid) || (this.#groups.get(uid) ?? []).includes(group);
  }

  /** Runs one validated call. */
  run(action: string, call: Call): Outcome {
    const now = this.store.clock.now();
    this.store.tick(now);
    const token = call.params.ClientToken;
    const dryRun = call.params.DryRun === true;
    let key: string | undefined;
    let print = '';
    if (TOKEN_ACTIONS.has(action) && typeof token === 'string' && !dryRun) {
      key = `${call.account.uid}\u0000${action}\u0000${token}`;
      print = fingerprint(call.params);
      const seen = this.store.tokens.get(key);
      if (seen) {
        if (seen.fingerprint !== print) return fail('IdempotentParameterMismatch', [], `ClientToken ${token} was used with other parameters.`);
        return success({ ...seen.body });
      }
    }
    const outcome = this.#dispatch(action, call, now, dryRun);
    if (outcome.ok && key) this.store.remember(key, { fingerprint: print, body: outcome.body });
    return outcome;
  }

  #dispatch(action: string, call: Call, now: number, dryRun: boolean): Outcome {
    switch (action) {
      case 'CreateVpcPeerConnection':
        return this.create(call, now, dryRun);
      case 'AcceptVpcPeerConnection':
        return this.accept(call, now, dryRun);
      case 'RejectVpcPeerConnection':
        return this.reject(call, now, dryRun);
      case 'ModifyVpcPeerConnection':
        return this.modify(call, now, dryRun);
      case 'DeleteVpcPeerConnection':
        return this.delete(call, now, dryRun);
      case 'GetVpcPeerConnectionAttribute':
        return this.get(call);
      case 'ListVpcPeerConnections':
        return this.list(call);
      case 'TagResources':
        return this.tag(call);
      case 'UnTagResources':
        return this.untag(call);
      case 'ListTagResources':
        return this.listTags(call);
      case 'MoveResourceGroup':
        return this.move(call);
      default:
        return fail('InvalidAction.NotFound');
    }
  }

  // ---- views ---------------------------------------------------------------------------------

  /** The connection as `uid` sees it, or undefined when `uid` is not a party (or it is gone). */
  visible(id: unknown, uid: string): Connection | undefined {
    if (typeof id !== 'string') return undefined;
    const c = this.store.byId.get(id);
    return c && (c.ownerUid === uid || c.acceptingUid === uid) ? c : undefined;
  }

  sideOf(c: Connection, uid: string): Side {
    return c.ownerUid === uid || !c.accepter ? c.owner : c.accepter;
  }

  regionOf(c: Connection, uid: string): string {
    return c.ownerUid === uid ? c.regionId : c.acceptingRegionId;
  }

  /** Views are cached per connection and viewer until the connection changes (`rev`). */
  readonly #views = new WeakMap<Connection, Map<string, { rev: number; view: Record<string, unknown>; json?: string }>>();

  #cached(c: Connection, uid: string): { rev: number; view: Record<string, unknown>; json?: string } {
    let perViewer = this.#views.get(c);
    if (!perViewer) this.#views.set(c, (perViewer = new Map()));
    const cached = perViewer.get(uid);
    const rev = c.rev ?? 0;
    if (cached && cached.rev === rev) return cached;
    const entry = { rev, view: this.#render(c, uid) };
    perViewer.set(uid, entry);
    return entry;
  }

  render(c: Connection, uid: string): Record<string, unknown> {
    return this.#cached(c, uid).view;
  }

  /** The view as JSON text (int64 fields exact), cached like the view. */
  renderJson(c: Connection, uid: string): string {
    const entry = this.#cached(c, uid);
    return (entry.json ??= toJson(entry.view));
  }

  #render(c: Connection, uid: string): Record<string, unknown> {
    const side = this.sideOf(c, uid);
    return {
      InstanceId: c.id,
      GmtCreate: utc(c.gmtCreate),
      GmtModified: utc(c.gmtModified),
      GmtExpired: c.gmtExpired === null ? null : utc(c.gmtExpired),
      Name: c.name,
      Description: c.description,
      // Decimal text, written as bare int64 numbers by toJson (exact above 2^53).
      OwnerId: c.ownerUid,
      AcceptingOwnerUid: c.acceptingUid,
      RegionId: c.regionId,
      AcceptingRegionId: c.acceptingRegionId,
      Bandwidth: c.bandwidth,
      LinkType: c.linkType,
      Status: c.status,
      BizStatus: 'Normal',
      ResourceGroupId: side.resourceGroupId,
      Vpc: { VpcId: c.vpc.VpcId, Ipv4Cidrs: c.vpc.Ipv4Cidrs, Ipv6Cidrs: c.vpc.Ipv6Cidrs },
      AcceptingVpc: { VpcId: c.acceptingVpc.VpcId, Ipv4Cidrs: c.acceptingVpc.Ipv4Cidrs, Ipv6Cidrs: c.acceptingVpc.Ipv6Cidrs },
      Tags: side.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    };
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  create({ account, params, exact }: Call, now: number, dryRun: boolean): Outcome {
    const p = params as {
      RegionId: string; VpcId: string; AcceptingRegionId: string; AcceptingVpcId: string; Name?: string; Description?: string;
      Bandwidth?: number; LinkType?: 'Gold' | 'Platinum'; ResourceGroupId?: string; Tag?: Tag[];
    };
    const acceptingUid = exact.get('AcceptingAliUid') ?? String(params.AcceptingAliUid);
    for (const region of [p.RegionId, p.AcceptingRegionId]) {
      if (this.#regions.size && !this.#regions.has(region)) return fail('UnsupportedRegion', ['VpcPeer', region]);
    }
    const own = this.#vpcs.get(p.VpcId);
    if (!own || own.uid !== account.uid || own.region !== p.RegionId) {
      return fail('InvalidVpcId.NotFound', [], `Parameter: VpcId. No VPC ${p.VpcId} of your account in ${p.RegionId}.`);
    }
    const peer = this.#vpcs.get(p.AcceptingVpcId);
    if (!peer || peer.uid !== acceptingUid || peer.region !== p.AcceptingRegionId) {
      return fail('InvalidVpcId.NotFound', [], `Parameter: AcceptingVpcId. No VPC ${p.AcceptingVpcId} of account ${acceptingUid} in ${p.AcceptingRegionId}.`);
    }
    if (p.VpcId === p.AcceptingVpcId) return fail('InvalidParameter', ['AcceptingVpcId'], 'A VPC cannot be peered with itself.');
    const inter = p.RegionId !== p.AcceptingRegionId;
    const q = this.config.quotas;
    if (!inter && p.Bandwidth !== undefined) {
      return fail('InvalidParameter', ['Bandwidth'], 'Only inter-region connections take a bandwidth; intra-region ones are unlimited.');
    }
    if (!inter && p.LinkType !== undefined) return fail('OperationFailed.InterRegionLinkTypeNotSupported');
    if (inter && p.Bandwidth !== undefined && p.Bandwidth > q.maxBandwidth) {
      return fail('InvalidParameter', ['Bandwidth'], `It exceeds the account's inter-region bandwidth quota of ${q.maxBandwidth} Mbit/s.`);
    }
    if (p.ResourceGroupId !== undefined && !this.hasGroup(account.uid, p.ResourceGroupId)) return fail('OperationFailed.NotExist.ResourceGroup');
    const tagError = uniqueKeys(p.Tag ?? []);
    if (tagError) return fail('InvalidParameter', ['Tag'], tagError);
    const existing = this.store.byPair.get(pairKey(p.VpcId, p.AcceptingVpcId));
    if (existing) return fail('ResourceAlreadyExist.VpcPeer', ['VpcPeer'], `Connection ${existing.id} already joins ${p.VpcId} and ${p.AcceptingVpcId}.`);
    if (this.store.size >= q.maxConnections) {
      return fail('QuotaExceeded.VpcPeerCountPerUserPerRegion', ['VpcPeerCountPerUserPerRegion', String(this.store.size), String(q.maxConnections)], 'The emulator store is full (quotas.maxConnections).');
    }
    const live = this.store.liveOwned(account.uid, p.RegionId);
    if (live >= q.perAccountPerRegion) {
      return fail('QuotaExceeded.VpcPeerCountPerUserPerRegion', ['VpcPeerCountPerUserPerRegion', String(live), String(q.perAccountPerRegion)]);
    }
    for (const vpcId of [p.VpcId, p.AcceptingVpcId]) {
      const used = this.store.liveOnVpc(vpcId, inter);
      const limit = inter ? q.crossRegionPerVpc : q.intraRegionPerVpc;
      if (used >= limit) {
        const code = inter ? 'QuotaExceeded.CrossRegionVpcPeerCountPerVpc' : 'QuotaExceeded.IntraRegionVpcPeerCountPerVpc';
        return fail(code, [`${code.slice('QuotaExceeded.'.length)} of ${vpcId}`, String(used), String(limit)]);
      }
    }
    if (dryRun) return fail('DryRunOperation');

    const sameAccount = acceptingUid === account.uid;
    const c: Connection = {
      seq: ++this.store.seq,
      id: newInstanceId((id) => this.store.byId.has(id)),
      ownerUid: account.uid,
      acceptingUid,
      regionId: p.RegionId,
      acceptingRegionId: p.AcceptingRegionId,
      vpc: own.vpc,
      acceptingVpc: peer.vpc,
      name: p.Name ?? '',
      description: p.Description ?? '',
      bandwidth: inter ? (p.Bandwidth ?? 1024) : -1,
      linkType: inter ? (p.LinkType ?? 'Gold') : '',
      status: 'Creating',
      gmtCreate: now,
      gmtModified: now,
      gmtExpired: null,
      owner: { resourceGroupId: p.ResourceGroupId ?? this.defaultGroup(account.uid), tags: (p.Tag ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })) },
      ...(!sameAccount && { accepter: { resourceGroupId: this.defaultGroup(acceptingUid), tags: [] } }),
    };
    this.store.insert(c);
    this.store.schedule(c, now + this.config.delays.createMs, sameAccount ? 'Activated' : 'Accepting');
    this.store.onChange();
    return success({ InstanceId: c.id });
  }

  /** The connection for a lifecycle call, or the error for it. */
  #target(call: Call, role: 'accepter' | 'owner' | 'party', allowed: Status[]): Connection | Outcome {
    const id = call.params.InstanceId as string;
    const c = this.visible(id, call.account.uid);
    if (!c) return fail('ResourceNotFound.InstanceId', [id]);
    if (role === 'accepter' && (c.ownerUid === c.acceptingUid || c.acceptingUid !== call.account.uid)) {
      if (c.ownerUid === c.acceptingUid) return fail('IncorrectStatus.VpcPeer', [id, c.status], 'Same-account connections are accepted automatically.');
      return fail('Forbidden.RAM', [], 'Only the accepter account can do this.');
    }
    if (role === 'owner' && c.ownerUid !== call.account.uid) return fail('Forbidden.RAM', [], 'Only the owner (requester) account can do this.');
    if (!allowed.includes(c.status)) return fail('IncorrectStatus.VpcPeer', [id, c.status]);
    return c;
  }

  accept(call: Call, now: number, dryRun: boolean): Outcome {
    const c = this.#target(call, 'accepter', ['Accepting']);
    if (!('seq' in c)) return c;
    const p = call.params as { ResourceGroupId?: string; Tag?: Tag[] };
    if (p.ResourceGroupId !== undefined && !this.hasGroup(call.account.uid, p.ResourceGroupId)) return fail('OperationFailed.NotExist.ResourceGroup');
    const tagError = uniqueKeys(p.Tag ?? []);
    if (tagError) return fail('InvalidParameter', ['Tag'], tagError);
    if (dryRun) return fail('DryRunOperation');
    const side = this.sideOf(c, call.account.uid);
    if (p.ResourceGroupId !== undefined) side.resourceGroupId = p.ResourceGroupId;
    if (p.Tag) side.tags = mergeTags(side.tags, p.Tag);
    this.store.transition(c, 'Updating', now);
    this.store.schedule(c, now + this.config.delays.acceptMs, 'Activated');
    return success();
  }

  reject(call: Call, now: number, dryRun: boolean): Outcome {
    const c = this.#target(call, 'accepter', ['Accepting']);
    if (!('seq' in c)) return c;
    if (dryRun) return fail('DryRunOperation');
    this.store.transition(c, 'Rejected', now);
    return success();
  }

  modify(call: Call, now: number, dryRun: boolean): Outcome {
    const c = this.#target(call, 'owner', ['Activated']);
    if (!('seq' in c)) return c;
    const p = call.params as { Name?: string; Description?: string; Bandwidth?: number; LinkType?: 'Gold' | 'Platinum' };
    const inter = isInterRegion(c);
    if (p.Bandwidth !== undefined && !inter) return fail('OperationFailed.BandwidthCannotBeChangedInSameRegion');
    if (p.LinkType !== undefined && !inter) return fail('OperationFailed.InterRegionLinkTypeNotSupported');
    if (p.Bandwidth !== undefined && p.Bandwidth > this.config.quotas.maxBandwidth) return fail('QuotaExceeded.Bandwidth', [], `At most ${this.config.quotas.maxBandwidth} Mbit/s.`);
    if (dryRun) return fail('DryRunOperation');
    if (p.Name !== undefined) c.name = p.Name;
    if (p.Description !== undefined) c.description = p.Description;
    if (p.Bandwidth !== undefined) c.bandwidth = p.Bandwidth;
    if (p.LinkType !== undefined) c.linkType = p.LinkType;
    this.store.transition(c, 'Updating', now);
    this.store.schedule(c, now + this.config.delays.modifyMs, 'Activated');
    return success();
  }

  delete(call: Call, now: number, dryRun: boolean): Outcome {
    const c = this.#target(call, 'party', ['Activated', 'Accepting', 'Rejected', 'Expired']);
    if (!('seq' in c)) return c;
    if (dryRun) return fail('DryRunOperation');
    this.store.transition(c, 'Deleting', now);
    return success();
  }

  // ---- reads ---------------------------------------------------------------------------------

  get(call: Call): Outcome {
    const id = call.params.InstanceId as string;
    const c = this.visible(id, call.account.uid);
    if (!c) return fail('ResourceNotFound.InstanceId', [id]);
    return { ok: true, body: this.render(c, call.account.uid), json: this.renderJson(c, call.account.uid) };
  }

  list({ account, params }: Call): Outcome {
    const p = params as { RegionId?: string; InstanceId?: string; Name?: string; VpcId?: string[]; MaxResults?: number; NextToken?: string; Tags?: Array<{ Key: string; Value?: string }>; ResourceGroupId?: string };
    const uid = account.uid;
    let after = 0;
    if (p.NextToken !== undefined) {
      const n = decodeToken('pcc', p.NextToken);
      if (n === undefined) return fail('InvalidParameter', ['NextToken'], 'It is not a token from a previous answer.');
      after = n;
    }
    const max = p.MaxResults ?? 20;
    const vpcs = p.VpcId && p.VpcId.length ? new Set(p.VpcId) : undefined;
    const matches = (c: Connection): boolean => {
      if (p.RegionId !== undefined && this.regionOf(c, uid) !== p.RegionId) return false;
      if (p.InstanceId !== undefined && c.id !== p.InstanceId) return false;
      if (p.Name !== undefined && c.name !== p.Name) return false;
      if (vpcs && !vpcs.has(c.vpc.VpcId) && !vpcs.has(c.acceptingVpc.VpcId)) return false;
      if (p.ResourceGroupId !== undefined || p.Tags) {
        const side = this.sideOf(c, uid);
        if (p.ResourceGroupId !== undefined && side.resourceGroupId !== p.ResourceGroupId) return false;
        if (p.Tags && !p.Tags.every((f) => side.tags.some((t) => t.Key === f.Key && (f.Value === undefined || t.Value === f.Value)))) return false;
      }
      return true;
    };
    const page: Record<string, unknown>[] = [];
    let total = 0;
    let last = 0;
    let more = false;
    const source =
      p.InstanceId !== undefined
        ? [this.visible(p.InstanceId, uid)].filter((c): c is Connection => !!c)
        : p.RegionId !== undefined
          ? (this.store.byViewRegion.get(`${uid}|${p.RegionId}`) ?? [])
          : (this.store.byParty.get(uid) ?? []);
    if (p.InstanceId === undefined && p.Name === undefined && !vpcs && !p.Tags && p.ResourceGroupId === undefined && p.RegionId !== undefined) {
      // Only region and paging: the index is the answer (creation order, so binary search the token).
      let lo = 0;
      let hi = source.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (source[mid]!.seq <= after) lo = mid + 1;
        else hi = mid;
      }
      const slice = source.slice(lo, lo + max);
      const next = lo + max < source.length ? encodeToken('pcc', slice[slice.length - 1]!.seq) : undefined;
      const items = slice.map((c) => this.renderJson(c, uid)).join(',');
      const json = `{"TotalCount":${source.length},"MaxResults":${max},${next ? `"NextToken":"${next}",` : ''}"VpcPeerConnects":[${items}]}`;
      return { ok: true, body: {}, json };
    }
    for (const c of source) {
      if (!matches(c)) continue;
      total += 1;
      if (c.seq <= after) continue;
      if (page.length < max) {
        page.push(this.render(c, uid));
        last = c.seq;
      } else {
        more = true;
      }
    }
    return success({ TotalCount: total, MaxResults: max, ...(more && { NextToken: encodeToken('pcc', last) }), VpcPeerConnects: page });
  }

  // ---- tags and resource groups --------------------------------------------------------------

  /** Connections named by `ResourceId.N`, visible to the caller in `RegionId`, or the error. */
  #resources(call: Call, ids: string[]): Connection[] | Outcome {
    const region = call.params.RegionId as string;
    const found: Connection[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const c = this.visible(id, call.account.uid);
      if (c && isLive(c) && this.regionOf(c, call.account.uid) === region) found.push(c);
      else missing.push(id);
    }
    if (missing.length) return fail('InvalidInstanceIds.NotFound', [], `Not found in ${region}: ${missing.join(', ')}.`);
    return found;
  }

  tag(call: Call): Outcome {
    const p = call.params as { ResourceId: string[]; Tag: Tag[] };
    const targets = this.#resources(call, p.ResourceId);
    if (!Array.isArray(targets)) return targets;
    if (uniqueKeys(p.Tag)) return fail('Forbidden.TagKey.Duplicated', [], 'Each tag key may appear once per request.');
    const max = this.config.quotas.maxTagsPerResource;
    for (const c of targets) {
      if (mergeTags(this.sideOf(c, call.account.uid).tags, p.Tag).length > max) {
        return fail('NumberExceed.Tags', [], `${c.id} would have more than ${max} tags.`);
      }
    }
    for (const c of targets) {
      const side = this.sideOf(c, call.account.uid);
      side.tags = mergeTags(side.tags, p.Tag);
      touch(c);
    }
    this.store.onChange();
    return success({ Success: true });
  }

  untag(call: Call): Outcome {
    const p = call.params as { ResourceId: string[]; TagKey?: string[]; All?: boolean };
    const targets = this.#resources(call, p.ResourceId);
    if (!Array.isArray(targets)) return targets;
    const keys = new Set(p.TagKey ?? []);
    for (const c of targets) {
      const side = this.sideOf(c, call.account.uid);
      side.tags = p.All ? [] : side.tags.filter((t) => !keys.has(t.Key));
      touch(c);
    }
    this.store.onChange();
    return success({ Success: true });
  }

  listTags(call: Call): Outcome {
    const p = call.params as { RegionId: string; ResourceId?: string[]; Tag?: Array<{ Key: string; Value?: string }>; Category?: string; MaxResults?: number; NextToken?: string };
    const uid = call.account.uid;
    let candidates: Connection[];
    if (p.ResourceId) {
      const found = this.#resources(call, p.ResourceId);
      if (!Array.isArray(found)) return found;
      candidates = found;
    } else {
      candidates = (this.store.byParty.get(uid) ?? []).filter((c) => isLive(c) && this.regionOf(c, uid) === p.RegionId);
    }
    let offset = 0;
    if (p.NextToken !== undefined) {
      const n = decodeToken('tag', p.NextToken);
      if (n === undefined) return fail('InvalidParameter', ['NextToken'], 'It is not a token from a previous answer.');
      offset = n;
    }
    const rows: Array<Record<string, unknown>> = [];
    if (p.Category !== 'System') {
      for (const c of candidates) {
        const tags = this.sideOf(c, uid).tags;
        if (p.Tag && !p.Tag.every((f) => tags.some((t) => t.Key === f.Key && (f.Value === undefined || t.Value === f.Value)))) continue;
        for (const t of tags) {
          if (p.Tag && !p.ResourceId && !p.Tag.some((f) => f.Key === t.Key)) continue;
          rows.push({ ResourceId: c.id, ResourceType: 'PeerConnection', RegionNo: this.regionOf(c, uid), TagKey: t.Key, TagValue: t.Value });
        }
      }
    }
    const max = p.MaxResults ?? 50;
    const page = rows.slice(offset, offset + max);
    const next = offset + max < rows.length ? encodeToken('tag', offset + max) : undefined;
    return success({ ...(next && { NextToken: next }), MaxResults: max, TagResources: page });
  }

  move(call: Call): Outcome {
    const p = call.params as { RegionId: string; ResourceId: string; NewResourceGroupId: string };
    const c = this.visible(p.ResourceId, call.account.uid);
    if (!c || !isLive(c) || this.regionOf(c, call.account.uid) !== p.RegionId) return fail('ResourceNotFound.VpcPeer');
    if (!this.hasGroup(call.account.uid, p.NewResourceGroupId)) return fail('OperationFailed.NotExist.ResourceGroup');
    this.sideOf(c, call.account.uid).resourceGroupId = p.NewResourceGroupId;
    touch(c);
    this.store.onChange();
    return success({ Success: true });
  }
}

/** Marks a connection changed outside a status transition (cached views become stale). */
function touch(c: Connection): void {
  c.rev = (c.rev ?? 0) + 1;
}

/** A problem sentence when a tag list repeats a key. */
function uniqueKeys(tags: Array<{ Key: string }>): string | undefined {
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key)) return `The tag key "${t.Key}" appears more than once.`;
    seen.add(t.Key);
  }
  return undefined;
}

/** Existing tags with `added` set on top (a key already there gets the new value). */
function mergeTags(existing: Tag[], added: Array<{ Key: string; Value?: string }>): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const found = out.find((o) => o.Key === t.Key);
    if (found) found.Value = t.Value ?? '';
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  return out;
}
