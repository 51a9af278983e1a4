import { assignFileDatabase } from "./test-databases";

// Runs in each test process before a test file's imports, so the app's database starts from the
// migrated dump.
assignFileDatabase();
