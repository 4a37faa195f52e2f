/** Every table, one file per aggregate. drizzle-kit reads this file to generate migrations. */
export * from "./tenants";
export * from "./users";
export * from "./audit";
export * from "./team";
export * from "./email";
export * from "./ads";
export * from "./credentials";
export * from "./vault";
export * from "./connectors";
export * from "./health";
