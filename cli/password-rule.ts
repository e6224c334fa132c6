/** The password rule the README states, in words: the admin schema and `--help` both show it (kept apart from the schema so that help loads no zod). */
export const PASSWORD_RULE = 'at least 8 and at most 1024 characters';
