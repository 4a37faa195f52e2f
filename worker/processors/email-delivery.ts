/** Sends every due e-mail outbox row (claimed with SKIP LOCKED, so it never races request-time sends). */
import { emailDeliveryQueue } from "../../server/infra/queue";
import { deliverPendingEmails } from "../../server/services/email/outbox";
import { defineProcessor } from "./define";

export const emailDeliveryProcessor = defineProcessor(emailDeliveryQueue, () => deliverPendingEmails());
