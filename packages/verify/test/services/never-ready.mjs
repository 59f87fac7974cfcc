// Never becomes ready: it prints something else and stays up.
console.log('warming caches');
setInterval(() => {}, 1000);
