"use client";

import { useEffect } from "react";
import { get, useFormContext, useWatch } from "react-hook-form";

import { Alert } from "~/components/ui/alert";
import { FormField, inputClasses } from "~/components/ui/form-field";

import { SITE_FIELDS, type ConnectionFormValues } from "./schema-form";
import { errorMessage } from "./trpc-errors";
import { useOAuthSites } from "./use-integrations";

type Site = { cloudId: string; name: string; url: string };

/**
 * For modes that act through the signed-in user's Atlassian grant: the sites the grant covers.
 * Choosing one fills the site fields of the config; a single site is chosen at once.
 */
export function OAuthSitePicker() {
  const sites = useOAuthSites(true);
  const {
    control,
    setValue,
    formState: { errors },
  } = useFormContext<ConnectionFormValues>();
  const cloudId = useWatch({ control, name: "config.cloudId" }) ?? "";
  const error = SITE_FIELDS.map(
    (field) => (get(errors, `config.${field}`) as { message?: string } | undefined)?.message,
  ).find(Boolean);

  const choose = (site: Site | undefined) => {
    const values = { cloudId: site?.cloudId ?? "", siteUrl: site?.url ?? "", siteName: site?.name ?? "" };
    for (const field of SITE_FIELDS)
      setValue(`config.${field}`, values[field], { shouldValidate: Boolean(site) });
  };

  const onlySite = sites.data?.length === 1 ? sites.data[0] : undefined;
  useEffect(() => {
    if (onlySite && !cloudId) {
      const values = { cloudId: onlySite.cloudId, siteUrl: onlySite.url, siteName: onlySite.name };
      for (const field of SITE_FIELDS) setValue(`config.${field}`, values[field], { shouldValidate: true });
    }
  }, [onlySite, cloudId, setValue]);

  if (sites.isError) {
    return (
      <Alert tone="error" title="Your Atlassian sites could not be listed">
        {errorMessage(sites.error)}
      </Alert>
    );
  }
  if (sites.data?.length === 0) {
    return (
      <Alert tone="warning" title="No Jira site available">
        Your Atlassian account has not granted TicketBridge access to any site. Sign out, sign in with
        Atlassian again and tick the site to connect.
      </Alert>
    );
  }

  return (
    <FormField
      id="field-config-cloudId"
      label="Atlassian site"
      required
      error={error}
      help={
        onlySite
          ? "Your Atlassian grant covers this one site; it was chosen for you."
          : "The Jira site to connect, from the sites your Atlassian account granted access to."
      }
    >
      {(control) => (
        <select
          {...control}
          value={cloudId}
          disabled={sites.isPending}
          onChange={(event) => choose(sites.data?.find((site) => site.cloudId === event.target.value))}
          className={inputClasses}
        >
          <option value="">{sites.isPending ? "Loading your sites…" : "Choose a site"}</option>
          {sites.data?.map((site) => (
            <option key={site.cloudId} value={site.cloudId}>
              {site.name} — {site.url}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
