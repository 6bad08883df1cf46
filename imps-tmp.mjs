const d='/work/main/dist/';
const list=process.argv.slice(2);
for (const m of list){const t=performance.now(); await import(m.startsWith('pkg:')?m.slice(4):d+m); console.log(m.padEnd(40),(performance.now()-t).toFixed(1));}
