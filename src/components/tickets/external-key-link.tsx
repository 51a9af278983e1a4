/** The external key (e.g. DEMO-12) opening the issue in the external system, in a new tab. */
export function ExternalKeyLink({
  issueKey,
  url,
  integrationName,
}: {
  issueKey: string;
  url: string | null;
  integrationName?: string;
}) {
  if (!url) return <span className="font-mono font-medium">{issueKey}</span>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      data-testid="external-key"
      className="font-mono font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800"
    >
      {issueKey}
      <span className="sr-only">
        {" "}
        (opens {integrationName ? `in ${integrationName}` : "the external issue"} in a new tab)
      </span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}
