/** Types of api-routes.mjs (the build-time generator of app/api/route-table.ts). */
export declare const TABLE_FILE: string;
export declare function routeEntry(file: string): { path: string; pattern: string; file: string; kind: "route" | "fallback" };
export declare function routeTableSource(): string;
