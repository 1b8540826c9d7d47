"""The inverse sources: a live API, saved `get-resources` JSON or `get-export` output -> `ApiModel`;
and writing an export back into an existing document."""
