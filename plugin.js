// The nx-parallel inferred-targets plugin, registered in nx.json as "nx-parallel/plugin".
module.exports = require('./dist/plugin/create-nodes');
