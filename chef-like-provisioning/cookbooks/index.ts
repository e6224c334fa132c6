/** Every cookbook this repository ships, by name (`_lib` is not one: it is uploaded alongside them). */
import type { Cookbook } from '../api';
import { cookbook as chromium } from './chromium';
import { cookbook as dovecot } from './dovecot';
import { cookbook as ngircd } from './ngircd';
import { cookbook as postgresql } from './postgresql';
import { cookbook as redis } from './redis';
import { cookbook as tributary } from './tributary';
import { cookbook as zookeeper } from './zookeeper';

export const cookbooks: Cookbook[] = [postgresql, redis, zookeeper, ngircd, dovecot, chromium, tributary];
