/** Every cookbook this repository ships, by name. */
import type { Cookbook } from '../api';

export const cookbooks: Cookbook[] = [];
