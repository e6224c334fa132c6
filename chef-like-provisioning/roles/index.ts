/** Every role this repository ships. */
import type { Role } from '../api';
import { role as allInOne } from './all-in-one';
import { app, redisNode, zookeeper } from './single-purpose';
import { role as testServices } from './test-services';

export const roles: Role[] = [testServices, allInOne, redisNode, zookeeper, app];
