/** Typings of conventions.mjs (see there). */
export declare const HTTP_METHODS: readonly ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export declare const PATH_KEY: RegExp;
export declare function actionOfPathKey(pathKey: string): string | undefined;
export declare function pathKeyOf<A extends string>(action: A): `/#Action=${A}`;
export declare function isErrorStatus(status: string | number): boolean;
export declare function decodePointerToken(token: string): string;
export declare function encodePointerToken(token: string): string;
export declare function pointerOf(path: ReadonlyArray<string | number>): string;
export declare function pointerGet(doc: unknown, pointer: string): unknown;
