/* Material for MkDocs' inline script from its partials/javascripts/base.html (9.8.1), as a file (the
   Content Security Policy runs no inline script). The scope is the site's root: this file is
   assets/theme-init.js, so ".." from its own address. tests/test_csp.py compares it with Material's. */
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
