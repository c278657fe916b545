/** The mock on a free loopback port as the target (the CLI's default when no endpoint is given). */
import type { AddressInfo } from 'node:net';
import { contract } from '../contract/index.ts';
import { createMockServer } from '../mock/server.ts';

export async function startMockTarget(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const { server } = await createMockServer({ contract, logLevel: 'silent', log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
