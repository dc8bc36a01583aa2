/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.notifystomp.cluster.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * The Lua scripts of presence and node leases, and a way to run them. Each script reads
 * the time from Redis ({@code TIME}), so lease deadlines do not depend on the clocks of
 * the nodes. User ids and node ids reach the scripts only as {@code KEYS} and
 * {@code ARGV}, never inside the script text.
 */
final class RedisScripts {

	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	// keep the whole key until the latest deadline in it, plus a second, so that keys
	// nobody renews any more disappear by themselves
	private static final String EXPIRE = """
			local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
			if last[2] then
			  redis.call('PEXPIREAT', KEYS[1], tonumber(last[2]) + 1000)
			end
			""";

	// as EXPIRE, and the connect-order key (KEYS[2]) lives as long as the presence key
	// it describes
	private static final String EXPIRE_WITH_ORDER = """
			local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
			if last[2] then
			  redis.call('PEXPIREAT', KEYS[1], tonumber(last[2]) + 1000)
			  redis.call('PEXPIREAT', KEYS[2], tonumber(last[2]) + 1000)
			end
			""";

	/**
	 * Add a session unless the user already has the maximum of live sessions. KEYS: the
	 * user's presence key, the user's connect-order key. ARGV: member, lease millis,
	 * maximum. Returns 1 if added, 0 if the limit was reached.
	 */
	static final String ADD = NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			if not redis.call('ZSCORE', KEYS[1], ARGV[1])
			    and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
			  return 0
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
			redis.call('ZADD', KEYS[2], 'NX', now, ARGV[1])
			""" + EXPIRE_WITH_ORDER + """
			return 1
			""";

	/**
	 * Add a session, removing the user's longest-connected live session first when the
	 * user already has the maximum. A session without a connect time (one re-added by a
	 * renewal) counts as the longest connected. KEYS: the user's presence key, the user's
	 * connect-order key. ARGV: member, lease millis, maximum. Returns the member removed,
	 * or an empty string if there was room.
	 */
	static final String ADD_REPLACING_OLDEST = NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
			  if not redis.call('ZSCORE', KEYS[1], member) then
			    redis.call('ZREM', KEYS[2], member)
			  end
			end
			local replaced = ''
			if not redis.call('ZSCORE', KEYS[1], ARGV[1])
			    and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
			  local oldestSince
			  for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
			    local since = tonumber(redis.call('ZSCORE', KEYS[2], member) or '0')
			    if member ~= ARGV[1] and (oldestSince == nil or since < oldestSince) then
			      replaced, oldestSince = member, since
			    end
			  end
			  redis.call('ZREM', KEYS[1], replaced)
			  redis.call('ZREM', KEYS[2], replaced)
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
			redis.call('ZADD', KEYS[2], 'NX', now, ARGV[1])
			""" + EXPIRE_WITH_ORDER + """
			return replaced
			""";

	/**
	 * Renew (or re-add) sessions of one user. KEYS: the user's presence key, the user's
	 * connect-order key. ARGV: lease millis, then the members.
	 */
	static final String RENEW = NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			local deadline = now + tonumber(ARGV[1])
			for i = 2, #ARGV do
			  redis.call('ZADD', KEYS[1], deadline, ARGV[i])
			end
			""" + EXPIRE_WITH_ORDER + """
			return #ARGV - 1
			""";

	/**
	 * Remove sessions of one user. KEYS: the user's presence key. ARGV: the members.
	 * Returns the number of live sessions the user has left.
	 */
	static final String REMOVE = NOW + """
			for i = 1, #ARGV do
			  redis.call('ZREM', KEYS[1], ARGV[i])
			end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			return redis.call('ZCARD', KEYS[1])
			""";

	/**
	 * The live sessions of a user. KEYS: the user's presence key. Returns the members.
	 */
	static final String LIVE = NOW + """
			return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
			""";

	/**
	 * Relay a batch of user messages to the other nodes that hold live sessions of their
	 * users: the presence lookups and the publishes in one round trip, one numbered batch
	 * per node with that node's messages in batch order ({@link RelayBatches}), numbered
	 * with this node's counts per receiving node, kept in a hash that lives on while the
	 * node relays (fields {@code n:<node>}, {@code t:<node>} for those not stored, and
	 * {@code epoch}, set by the first relay after the hash was created or lost, so that a
	 * Redis that lost the hash starts a new numbering). KEYS: the presence keys of the
	 * batch's users, then the hash of the counts. ARGV: this node's id, the inbox channel
	 * name before and after the node id, the batch header without the count line, the
	 * lifetime of the counts in milliseconds, this node's token, which with Redis' time
	 * makes the epoch of a new hash (empty: no numbers, and a node's only message goes
	 * alone, as nodes that predate batches expect), then for each message the index of
	 * its user's key, {@code s} if it is stored or {@code t} if not, and the message
	 * framed as a batch entry. Returns the number of messages published, counted once per
	 * node. Not for a Redis Cluster, whose users' keys live on different shards.
	 */
	static final String RELAY_BATCH = NOW + """
			local counts = KEYS[#KEYS]
			local holders = {}
			for k = 1, #KEYS - 1 do
			  local nodes, seen = {}, {}
			  for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[k], '(' .. now, '+inf')) do
			    local separator = string.find(member, '|', 1, true)
			    if separator and separator > 1 then
			      local node = string.sub(member, 1, separator - 1)
			      if node ~= ARGV[1] and not seen[node] then
			        seen[node] = true
			        table.insert(nodes, node)
			      end
			    end
			  end
			  holders[k] = nodes
			end
			local order, byNode, transients, count = {}, {}, {}, 0
			for i = 7, #ARGV, 3 do
			  for _, node in ipairs(holders[tonumber(ARGV[i])]) do
			    local list = byNode[node]
			    if not list then
			      list = {}
			      byNode[node] = list
			      transients[node] = 0
			      table.insert(order, node)
			    end
			    table.insert(list, ARGV[i + 2])
			    if ARGV[i + 1] == 't' then
			      transients[node] = transients[node] + 1
			    end
			    count = count + 1
			  end
			end
			local epoch
			if #order > 0 and ARGV[6] ~= '' then
			  redis.call('HSETNX', counts, 'epoch', ARGV[6] .. '-' .. now)
			  epoch = redis.call('HGET', counts, 'epoch')
			end
			for _, node in ipairs(order) do
			  local list = byNode[node]
			  local message
			  if not epoch and #list == 1 then
			    message = string.sub(list[1], string.find(list[1], '\\n', 1, true) + 1)
			  elseif not epoch then
			    message = ARGV[4] .. #list .. '\\n' .. table.concat(list)
			  else
			    local relayed = redis.call('HINCRBY', counts, 'n:' .. node, #list)
			    local relayedTransients = redis.call('HINCRBY', counts, 't:' .. node, transients[node])
			    message = ARGV[4] .. #list .. ' ' .. transients[node] .. ' ' .. relayed .. ' ' .. relayedTransients
			        .. ' ' .. epoch .. '\\n' .. table.concat(list)
			  end
			  redis.call('PUBLISH', ARGV[2] .. node .. ARGV[3], message)
			end
			if epoch then
			  redis.call('PEXPIRE', counts, ARGV[5])
			end
			return count
			""";

	/**
	 * Mark users online until a new deadline, never shortening a later one. KEYS: the
	 * online users key. ARGV: lease millis, then the user ids.
	 */
	static final String TOUCH_USERS = NOW + """
			local deadline = now + tonumber(ARGV[1])
			for i = 2, #ARGV do
			  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
			  if not score or tonumber(score) < deadline then
			    redis.call('ZADD', KEYS[1], deadline, ARGV[i])
			  end
			end
			""" + EXPIRE + """
			return #ARGV - 1
			""";

	/**
	 * Count the online users. KEYS: the online users key.
	 */
	static final String COUNT_USERS = NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			return redis.call('ZCARD', KEYS[1])
			""";

	/**
	 * Renew a node's lease, record its session count and instance token, and drop nodes
	 * whose lease ran out. KEYS: nodes, node sessions, node instances. ARGV: node id,
	 * lease millis, session count, instance token. Returns the Redis version number (0
	 * before Redis 7, which has no sharded pub/sub), the token the node id had before
	 * (empty if none), then the id and instance token of each live node.
	 */
	static final String NODE_BEAT = NOW + """
			local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
			for _, node in ipairs(dead) do
			  redis.call('HDEL', KEYS[2], node)
			  redis.call('HDEL', KEYS[3], node)
			end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
			redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
			local previous = redis.call('HGET', KEYS[3], ARGV[1]) or ''
			redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
			local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
			for i = 1, 3 do
			  redis.call('PEXPIREAT', KEYS[i], tonumber(last[2]) + 1000)
			end
			local result = {tonumber(redis.REDIS_VERSION_NUM or 0), previous}
			for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
			  table.insert(result, node)
			  table.insert(result, redis.call('HGET', KEYS[3], node) or '')
			end
			return result
			""";

	/**
	 * The live nodes and their session counts. KEYS: nodes, node sessions. Returns node
	 * id, count, node id, count, ...
	 */
	static final String NODES = NOW + """
			local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
			local result = {}
			for _, node in ipairs(live) do
			  table.insert(result, node)
			  table.insert(result, redis.call('HGET', KEYS[2], node) or '0')
			end
			return result
			""";

	/**
	 * Remove a node from the registry. KEYS: nodes, node sessions, node instances. ARGV:
	 * node id.
	 */
	static final String NODE_LEAVE = """
			redis.call('ZREM', KEYS[1], ARGV[1])
			redis.call('HDEL', KEYS[2], ARGV[1])
			redis.call('HDEL', KEYS[3], ARGV[1])
			return 1
			""";

	/**
	 * Remove a user from the online users. KEYS: the online users key. ARGV: user id.
	 */
	static final String DROP_USER = """
			return redis.call('ZREM', KEYS[1], ARGV[1])
			""";

	private final RScript script;

	RedisScripts(RedissonClient redisson) {
		this.script = redisson.getScript(Utf8StringCodec.INSTANCE);
	}

	/**
	 * Run a script on the master of its first key's slot.
	 * @return the future result; never throws, a failure completes the future
	 */
	<R> CompletableFuture<R> run(String lua, RScript.ReturnType returnType, List<Object> keys, Object... args) {
		try {
			return this.script
				.<R>evalAsync(keys.get(0).toString(), RScript.Mode.READ_WRITE, lua, returnType, keys, args)
				.toCompletableFuture();
		}
		catch (RuntimeException ex) {
			// Redisson connects lazily on the calling thread and may throw right away
			return CompletableFuture.failedFuture(ex);
		}
	}

}
