"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";

import { errorMessage } from "./trpc-errors";
import { useDeleteIntegration } from "./use-integrations";

/** Delete, after a confirmation that says what happens to the issues already linked. */
export function DeleteIntegration({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteIntegration();
  const router = useRouter();

  return (
    <>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Delete
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${name}?`}
        confirmLabel="Delete integration"
        pending={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(
            { id },
            {
              onSuccess: () => {
                toast.success(`${name} was deleted.`);
                router.push("/integrations");
              },
            },
          )
        }
      >
        <p>No new tickets can be sent through it. This cannot be undone.</p>
        <p>Issues already created and linked through it stay readable on their tickets.</p>
        {remove.isError && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
      </ConfirmDialog>
    </>
  );
}
