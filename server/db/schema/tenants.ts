import { varchar, pgTable } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";

/** An agency. Its own row is visible only inside its tenant context (policy on `id`). */
export const tenants = pgTable("tenants", {
  id: id(),
  name: varchar("name", { length: 255 }).notNull(),
  createdAt: createdAt(),
});
