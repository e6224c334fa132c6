/** Every role this repository ships. */
import type { Role } from '../api';

export const roles: Role[] = [];
