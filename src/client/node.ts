/**
 * Node entry of the typed client: everything from `./index.ts`, plus credentials from
 * `@alicloud/credentials` when none are passed. Its default chain reads, in order, the
 * `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` (and `ALIBABA_CLOUD_SECURITY_TOKEN`) environment
 * variables, the OIDC/RAM-role settings, the CLI profile (`~/.aliyun/config.json`), the
 * credentials file (`~/.alibabacloud/credentials.ini`), the ECS RAM role, and a credentials
 * URI. No credential chain is written here.
 */
import credentialsModule from '@alicloud/credentials';
import { VpcPeerClient, type ClientOptions, type CredentialProvider } from './client.ts';

export * from './index.ts';

type CredentialClass = new (config?: unknown) => CredentialProvider;

/** `@alicloud/credentials` is CommonJS with `exports.default`: take the class in ESM and CJS interop alike. */
function credentialClass(): CredentialClass {
  const mod = credentialsModule as unknown as { default?: unknown };
  return ((mod.default as CredentialClass | undefined) ?? (credentialsModule as unknown as CredentialClass));
}

/**
 * A provider from `@alicloud/credentials` with an explicit config, e.g.
 * `{ type: 'ram_role_arn', accessKeyId, accessKeySecret, roleArn, roleSessionName }` or
 * `{ type: 'sts', accessKeyId, accessKeySecret, securityToken }` (see that package's README).
 */
export function credentialProvider(config: Record<string, unknown>): CredentialProvider {
  const Credential = credentialClass();
  return new Credential(config);
}

/** The `@alicloud/credentials` default chain, as a provider (resolved lazily, on the first call). */
export function defaultCredentialProvider(): CredentialProvider {
  let provider: CredentialProvider | undefined;
  return {
    getCredential() {
      provider ??= new (credentialClass())();
      return provider.getCredential();
    },
  };
}

export type NodeClientOptions = Omit<ClientOptions, 'credentials'> & { credentials?: ClientOptions['credentials'] };

/** Creates a client; without `credentials`, it uses the `@alicloud/credentials` default chain. */
export function createNodeClient(options: NodeClientOptions = {}): VpcPeerClient {
  return new VpcPeerClient({ ...options, credentials: options.credentials ?? defaultCredentialProvider() });
}
