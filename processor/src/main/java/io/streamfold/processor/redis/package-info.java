/**
 * Connections to Redis (Lettuce for the loop, Redisson for the locks) and Lua scripts run by EVALSHA with their arguments.
 * May call config.
 */
package io.streamfold.processor.redis;
