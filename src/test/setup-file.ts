import { assignFileDatabase } from "./test-databases";

// Runs in each test process before a test file's imports, so the app opens the file's own database.
await assignFileDatabase();
