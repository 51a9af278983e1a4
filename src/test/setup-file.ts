import { assignFileDatabase } from "./test-databases";

// Runs in each test process before a test file's imports, so the app's configuration reads the
// file's own database.
await assignFileDatabase();
