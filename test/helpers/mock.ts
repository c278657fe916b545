/** Starts the mock in-process on a free loopback port. */
import type { AddressInfo } from 'node:net';
import { contract } from '../../src/contract/index.ts';
import { createMockServer, type MockOptions } from '../../src/mock/server.ts';

export interface RunningMock {
  baseUrl: string;
  lines: string[];
  close(): Promise<void>;
}

export async function startMock(options: Partial<MockOptions> = {}): Promise<RunningMock> {
  const lines: string[] = [];
  const { server } = await createMockServer({ contract, logLevel: 'info', log: (l) => lines.push(l), ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    lines,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
