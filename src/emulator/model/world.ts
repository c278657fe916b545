/**
 * What exists around the connections: each account's VPCs (by region, with CIDRs) and resource
 * groups, and the regions the endpoint serves. Seeded from the config and grown at run time by
 * the admin API.
 */
import type { SeedVpc } from './connection.ts';

export interface WorldAccount {
  /** Resource group IDs; the first is the account's default group. */
  resourceGroups: string[];
  /** Region ID → VPCs of the account there. */
  vpcs: Record<string, SeedVpc[]>;
}

export interface WorldDocument {
  /** Account UID → what the account owns. */
  accounts: Record<string, WorldAccount>;
}

export interface VpcRecord {
  uid: string;
  region: string;
  vpc: SeedVpc;
}

export class World {
  /** The regions the endpoint serves (empty: any). */
  readonly regions: ReadonlySet<string>;
  #vpcs = new Map<string, VpcRecord>();
  #groups = new Map<string, string[]>();
  #document: WorldDocument = { accounts: {} };

  constructor(document: WorldDocument, regions: Iterable<string>) {
    this.regions = new Set(regions);
    this.load(document);
  }

  /** Replaces everything with a world document. */
  load(document: WorldDocument): void {
    this.#vpcs = new Map();
    this.#groups = new Map();
    this.#document = { accounts: {} };
    for (const [uid, account] of Object.entries(document.accounts)) {
      this.addAccount(uid);
      for (const group of account.resourceGroups) this.addResourceGroup(uid, group);
      for (const [region, vpcs] of Object.entries(account.vpcs)) for (const vpc of vpcs) this.addVpc(uid, region, vpc);
    }
  }

  /** The world as a document (what the state file and the state dump hold). */
  document(): WorldDocument {
    return structuredClone(this.#document);
  }

  hasAccount(uid: string): boolean {
    return uid in this.#document.accounts;
  }

  addAccount(uid: string): void {
    this.#document.accounts[uid] ??= { resourceGroups: [], vpcs: {} };
    if (!this.#groups.has(uid)) this.#groups.set(uid, []);
  }

  addResourceGroup(uid: string, group: string): boolean {
    this.addAccount(uid);
    const groups = this.#groups.get(uid)!;
    if (groups.includes(group)) return false;
    groups.push(group);
    this.#document.accounts[uid]!.resourceGroups = [...groups];
    return true;
  }

  /** Adds a VPC; false when its ID is taken. */
  addVpc(uid: string, region: string, vpc: SeedVpc): boolean {
    if (this.#vpcs.has(vpc.VpcId)) return false;
    this.addAccount(uid);
    const copy = { VpcId: vpc.VpcId, Ipv4Cidrs: [...vpc.Ipv4Cidrs], Ipv6Cidrs: [...vpc.Ipv6Cidrs] };
    this.#vpcs.set(vpc.VpcId, { uid, region, vpc: copy });
    const byRegion = this.#document.accounts[uid]!.vpcs;
    (byRegion[region] ??= []).push(copy);
    return true;
  }

  vpc(vpcId: string): VpcRecord | undefined {
    return this.#vpcs.get(vpcId);
  }

  defaultGroup(uid: string): string {
    return this.#groups.get(uid)?.[0] ?? `rg-default-${uid}`;
  }

  hasGroup(uid: string, group: string): boolean {
    return group === this.defaultGroup(uid) || (this.#groups.get(uid) ?? []).includes(group);
  }

  servesRegion(region: string): boolean {
    return this.regions.size === 0 || this.regions.has(region);
  }
}
