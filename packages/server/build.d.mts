// Types for build.mjs (plain JavaScript, so it runs before anything is compiled).
export declare const DIST_DIR: string;
export declare const DIST_ENTRY: string;
export declare function sourceStamp(
  dirs?: string[],
  extraFiles?: string[],
): { files: number; digest: string };
export declare function isBuildFresh(stamp?: { files: number; digest: string }): boolean;
export declare function bundleServerCode(
  entryPoints: Record<string, string>,
  outdir: string,
): Promise<void>;
export declare function buildServer(): Promise<void>;
export declare function ensureServerBuild(): Promise<boolean>;
