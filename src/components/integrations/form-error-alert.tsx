import { Alert } from "~/components/ui/alert";

import { errorMessage } from "./trpc-errors";

/** A failed save or check: the server's message, and field messages that belong to no field. */
export function FormErrorAlert({
  title,
  error,
  details,
}: {
  title: string;
  error: unknown;
  details: string[];
}) {
  if (!error) return null;
  return (
    <Alert tone="error" title={title}>
      <p>{errorMessage(error)}</p>
      {details.length > 0 && (
        <ul className="mt-2 list-disc pl-5">
          {details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
