-- CreateIndex
CREATE INDEX "Ticket_open_counts_idx" ON "Ticket"("organizationId", "type", "priority", "staleSince") WHERE (status = ANY (ARRAY['OPEN'::"TicketStatus", 'IN_PROGRESS'::"TicketStatus"]));
