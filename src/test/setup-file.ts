import { switchToWorkerDatabase } from "./worker-database";

// Runs in each worker before a test file's imports, so the app's configuration reads the worker's
// database.
await switchToWorkerDatabase();
