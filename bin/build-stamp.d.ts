/** Types of build-stamp.js (plain JavaScript so bin/sauda.js can read it before any TypeScript loader). */
export declare const BUILD_FORMAT: number;
export declare const STAMP_FILE: string;
export declare function isBuildSource(path: string): boolean;
export declare function sourceStamp(srcDir: string): string;
export declare function freshBuild(srcDir: string, buildDir: string): string | null;
