-- AlterEnum
ALTER TYPE "TicketSource" ADD VALUE 'JIRA';
